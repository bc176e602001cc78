import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegSize } from '../helpers/jpeg-size';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';

// The camera form's API with the real route handlers, the real ffmpeg and a real RTSP camera that
// wants a password: what "Test connection" and "Save" do for a user.
const USER = 'admin';
const PASSWORD = 'form-Pa55word';
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-form-'));
const camerasFile = path.join(directory, 'cameras.json');
writeFileSync(camerasFile, JSON.stringify({ cameras: [{ id: 'yard', name: 'Yard', source: 'test:smptebars', width: 320 }] }, null, 2));
process.env.CAMERAS_FILE = camerasFile;
// Logging in has its own tests (tests/e2e/auth.test.ts); these call the handlers directly.
process.env.CAMDASH_AUTH = 'off';

let rtsp: RtspServer;
let probe: typeof import('@/app/api/probe/route');
let cameras: typeof import('@/app/api/cameras/route');
let camera: typeof import('@/app/api/cameras/[id]/route');
let settings: typeof import('@/app/api/cameras/[id]/settings/route');

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://localhost:3000${url}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', host: 'localhost:3000', 'sec-fetch-site': 'same-origin', ...headers },
  });
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const rtspForm = (password: string) => ({ id: 'porch', name: 'Porch', url: rtsp.url(), username: USER, password, width: 320 });

beforeAll(async () => {
  rtsp = await startRtspServer({ user: USER, password: PASSWORD, width: 640, height: 360, fps: 10 });
  probe = await import('@/app/api/probe/route');
  cameras = await import('@/app/api/cameras/route');
  camera = await import('@/app/api/cameras/[id]/route');
  settings = await import('@/app/api/cameras/[id]/settings/route');
});

afterAll(async () => {
  await (await (await import('@/lib/server/camdash')).getCamdash()).registry.shutdown();
  await rtsp?.stop();
});

describe('camera form API', () => {
  it('tests a connection: a picture with the right password, the reason with a wrong one', async () => {
    const good = await probe.POST(post('/api/probe', rtspForm(PASSWORD)));
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toBe('image/jpeg');
    expect(jpegSize(new Uint8Array(await good.arrayBuffer()))).toEqual({ width: 320, height: 180 });
    console.log(`probe: picture after ${good.headers.get('x-probe-ms')} ms`);

    const started = Date.now();
    const bad = await probe.POST(post('/api/probe', rtspForm('wrong')));
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(body).toMatchObject({ kind: 'authentication failed' });
    expect(JSON.stringify(body)).not.toContain('wrong');
    expect(Date.now() - started).toBeLessThan(10_500);

    const nobody = await probe.POST(post('/api/probe', { ...rtspForm(PASSWORD), url: 'rtsp://127.0.0.1:9/none' }));
    expect(await nobody.json()).toMatchObject({ kind: 'refused' });
  });

  it('saves a camera, gives its settings back without the password, and uses the saved one to test it', async () => {
    const saved = await cameras.POST(post('/api/cameras', rtspForm(PASSWORD)));
    expect(saved.status).toBe(201);
    expect(readFileSync(camerasFile, 'utf8')).toContain(`"source": "rtsp://${USER}:${PASSWORD}@127.0.0.1:${rtsp.port}`);

    const form = await (await settings.GET(new Request('http://localhost/api/cameras/porch/settings'), params('porch'))).json();
    expect(form).toEqual({ id: 'porch', name: 'Porch', url: rtsp.url(), username: USER, hasPassword: true, width: 320, motion: false });
    expect(JSON.stringify(form)).not.toContain(PASSWORD);

    const kept = await probe.POST(post('/api/probe?camera=porch', { ...rtspForm(''), keepPassword: true }));
    expect(kept.status).toBe(200);
  });

  it('answers a wrong form with an error per field, and a cross-site request with 403', async () => {
    const wrong = await cameras.POST(post('/api/cameras', { id: 'Bad Id', name: '', url: 'ftp://x' }));
    expect(wrong.status).toBe(400);
    expect(Object.keys((await wrong.json()).errors).sort()).toEqual(['id', 'name', 'url']);

    const forged = await cameras.POST(post('/api/cameras', rtspForm(PASSWORD), { 'sec-fetch-site': 'cross-site' }));
    expect(forged.status).toBe(403);
    const removed = await camera.DELETE(new Request('http://localhost:3000/api/cameras/yard', { method: 'DELETE', headers: { origin: 'https://evil.example', host: 'localhost:3000' } }), params('yard'));
    expect(removed.status).toBe(403);
    expect(readFileSync(camerasFile, 'utf8')).toContain('"yard"');
  });
});
