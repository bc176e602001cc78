import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { readParts } from '../helpers/multipart-client';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';

// Logging in, as a user meets it: closed by default with a generated password, every route behind
// it, and players let in by a camera token or HTTP Basic auth.
const dataDir = mkdtempSync(path.join(tmpdir(), 'camdash-auth-data-'));
const camerasFile = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-auth-')), 'cameras.json');
writeFileSync(camerasFile, JSON.stringify({ cameras: [{ id: 'porch', name: 'Porch', source: 'test:testsrc2', fps: 5, width: 160 }] }));
const AUTH_ON = { CAMDASH_AUTH: '', CAMDASH_DATA_DIR: dataDir };

let server: NextServer;
let password: string;
let cookie: string;

/** No redirects followed, a client address of the test's choosing (the lock-out is per client). */
const request = (url: string, init: RequestInit & { client?: string } = {}) =>
  fetch(`${server.url}${url}`, { redirect: 'manual', ...init, headers: { 'x-forwarded-for': init.client ?? '10.0.0.1', ...init.headers } });
const login = (secret: string, client?: string) =>
  request('/api/login', { method: 'POST', client, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: secret }) });

beforeAll(async () => {
  server = await startNextServer({ camerasFile, env: AUTH_ON });
  password = /shown only this once\):\s+(\S+)/.exec(server.log())?.[1] ?? '';
});

afterAll(async () => {
  await server?.stop();
});

describe('logging in', () => {
  it('generates a password at the first start, prints it once, and keeps only its hash', async () => {
    expect(password).toMatch(/^[\w-]{16}$/);
    await server.stop();
    server = await startNextServer({ camerasFile, env: AUTH_ON });
    expect(server.log()).not.toContain(password);
    expect(server.log()).not.toContain('shown only this once');
    expect((await login(password)).status).toBe(200);
  });

  it('keeps every page and API behind the login, except the login page, its assets and the health check', async () => {
    const pages = ['/', '/cameras/porch', '/cameras/nope'];
    for (const page of pages) {
      const response = await request(page);
      expect(response.status, page).toBe(303);
      expect(response.headers.get('location'), page).toMatch(/\/login(\?next=|$)/);
    }
    const apis: [string, string][] = [
      ['GET', '/api/cameras'],
      ['GET', '/api/cameras/porch'],
      ['GET', '/api/cameras/porch/settings'],
      ['GET', '/api/cameras/porch/player-link'],
      ['GET', '/api/cameras/porch/stream'],
      ['GET', '/api/cameras/porch/snapshot'],
      ['GET', '/api/grid/stream?cameras=porch'],
      ['POST', '/api/cameras'],
      ['PUT', '/api/cameras/porch'],
      ['DELETE', '/api/cameras/porch'],
      ['POST', '/api/probe'],
    ];
    for (const [method, url] of apis) {
      const response = await request(url, { method, headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, body: method === 'GET' ? undefined : '{}' });
      expect(response.status, `${method} ${url}`).toBe(401);
    }
    expect((await request('/api/cameras/porch/stream')).headers.get('www-authenticate')).toMatch(/^Basic realm="camdash"/);

    const loginPage = await request('/login');
    expect(loginPage.status).toBe(200);
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+)"/.exec(await loginPage.text())?.[1];
    expect((await request(script!)).status).toBe(200);
    expect((await request('/api/health')).status).toBe(200);
  });

  it('sets an httpOnly, SameSite session cookie that opens everything, and rejects a tampered one', async () => {
    expect((await login('not the password', '10.0.0.2')).status).toBe(401);
    const response = await login(password);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^camdash_session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
    cookie = setCookie.split(';')[0]!;
    expect((await request('/', { headers: { cookie } })).status).toBe(200);
    expect((await request('/api/cameras', { headers: { cookie } })).status).toBe(200);
    expect((await readParts(await request('/api/cameras/porch/stream', { headers: { cookie } }), 1))[0]!.body.length).toBeGreaterThan(0);

    const [payload, signature] = cookie.split('=')[1]!.split('.') as [string, string];
    const longer = Buffer.from(JSON.stringify({ e: Date.now() + 10 ** 12, p: JSON.parse(Buffer.from(payload, 'base64url').toString()).p })).toString('base64url');
    for (const forged of [`camdash_session=${longer}.${signature}`, `camdash_session=${payload}.${signature.slice(1)}`, 'camdash_session=x.y']) {
      expect((await request('/api/cameras', { headers: { cookie: forged } })).status, forged).toBe(401);
    }
  });

  it('locks a client out after 5 failed logins, even with the right password next', async () => {
    const client = '10.0.0.66';
    for (let attempt = 1; attempt <= 5; attempt += 1) expect((await login(`guess-${attempt}`, client)).status).toBe(401);
    const locked = await login(password, client);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(25);
    expect((await login(password, '10.0.0.67')).status).toBe(200); // another client is not affected
  });

  it('counts a directly connected client by its connection: X-Forwarded-For cannot make each guess a new client', async () => {
    const secret = 'the-right-password';
    const direct = await startNextServer({
      camerasFile,
      env: { ...AUTH_ON, CAMDASH_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'camdash-auth-direct-')), CAMDASH_PASSWORD: secret, CAMDASH_TRUSTED_PROXIES: 'none' },
    });
    try {
      const posingAs = (client: string, init: RequestInit) => fetch(`${direct.url}${init.method === 'POST' ? '/api/login' : '/api/cameras/porch/snapshot'}`, { ...init, headers: { 'x-forwarded-for': client, ...init.headers } });
      const guess = (password: string, client: string) =>
        posingAs(client, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
      for (let attempt = 1; attempt <= 5; attempt += 1) expect((await guess(`guess-${attempt}`, `10.9.0.${attempt}`)).status).toBe(401);
      expect((await guess(secret, '10.9.0.99')).status).toBe(429);
      // The gate in front of the streams (proxy.ts) knows the connection too: no way in by HTTP Basic.
      const basic = { authorization: `Basic ${Buffer.from(`viewer:${secret}`).toString('base64')}` };
      expect((await posingAs('10.9.0.100', { headers: basic })).status).toBe(401);
    } finally {
      await direct.stop();
    }
  });

  it('refuses cross-site requests that change something', async () => {
    const forged = { 'content-type': 'application/json', origin: 'https://evil.example', cookie };
    expect((await request('/api/login', { method: 'POST', headers: forged, body: JSON.stringify({ password }) })).status).toBe(403);
    const add = await request('/api/cameras', { method: 'POST', headers: { ...forged, 'sec-fetch-site': 'cross-site' }, body: JSON.stringify({ id: 'x', name: 'X', url: 'test' }) });
    expect(add.status).toBe(403);
    expect((await request('/api/logout', { method: 'POST', headers: { origin: 'https://evil.example', cookie } })).status).toBe(403);
  });

  it('lets a player in with the camera token or HTTP Basic auth, for that camera only', async () => {
    const links = (await (await request('/api/cameras/porch/player-link', { headers: { cookie } })).json()) as { stream: string; snapshot: string };
    const token = new URL(links.stream).searchParams.get('token')!;
    const streamPath = `/api/cameras/porch/stream?token=${token}`;
    expect((await readParts(await request(streamPath), 1))).toHaveLength(1);
    expect((await request(`/api/cameras/porch/snapshot?token=${token}`)).headers.get('content-type')).toBe('image/jpeg');
    expect((await request(`/api/cameras/porch/settings?token=${token}`)).status).toBe(401);
    expect((await request(`/api/cameras/porch/stream?token=${token.slice(1)}x`)).status).toBe(401);

    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`viewer:${secret}`).toString('base64')}` });
    expect((await readParts(await request('/api/cameras/porch/stream', { headers: basic(password) }), 1))).toHaveLength(1);
    expect((await request('/api/cameras/porch/stream', { headers: basic('wrong'), client: '10.0.0.3' })).status).toBe(401);
    expect((await request('/api/cameras', { headers: basic(password) })).status).toBe(401);
  });

  it('takes a browser through the login page to the grid, and out again', async () => {
    let browser: TestBrowser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/cameras/porch`);
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong password.' }).waitFor();
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${server.url}/cameras/porch`);
      await page.goto(`${server.url}/`);
      await waitForMovingPictures(() => new GridPage(page).pictures(), ['porch'], { frames: 2, timeoutMs: 15_000 });
      expect(await page.locator('[data-auth-off]').count()).toBe(0);

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login$/);
      await page.goto(`${server.url}/`);
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await browser?.close();
    }
  });
});
