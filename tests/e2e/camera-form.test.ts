import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { CameraPage, GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';

// A user adds an RTSP camera from the dashboard: per-field errors, a test with a wrong and a right
// password, save, and the new tile plays without a reload; then edits it from its page.
const USER = 'admin';
const PASSWORD = 'e2e-Form-Pa55';

let session: E2eSession;
let rtsp: RtspServer;
let camerasFile: string;
let page: Page;

beforeAll(async () => {
  rtsp = await startRtspServer({ user: USER, password: PASSWORD, width: 640, height: 360, fps: 10 });
  camerasFile = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-form-e2e-')), 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras: [{ id: 'yard', name: 'Yard', source: 'test:smptebars', fps: 5, width: 320 }] }, null, 2));
  session = await openE2eSession({ camerasFile, graceMs: 1_000 });
  page = await session.browser.context.newPage();
});

afterAll(async () => {
  await session?.close();
  await rtsp?.stop();
});

const dialog = () => page.getByRole('dialog');
const field = (name: string) => dialog().getByLabel(name, { exact: true });

describe('adding and editing a camera from the dashboard', () => {
  it('shows what is wrong with each field, tests the connection, saves, and plays the new tile', async () => {
    const grid = new GridPage(page);
    await grid.open(session.server.url);
    await page.getByRole('button', { name: 'Add camera' }).click();
    await dialog().getByRole('button', { name: 'Add camera' }).click();
    await expect.poll(() => dialog().locator('[data-field] [role="alert"]').allInnerTexts()).toEqual(['give the camera a name', expect.stringMatching(/lowercase/), expect.stringMatching(/rtsp:\/\//)]);

    await field('Name').fill('Porch');
    expect(await field('Id (in URLs and cameras.json)').inputValue()).toBe('porch');
    await field('Source URL').fill(rtsp.url());
    await field('User name').fill(USER);
    await field('Password').fill('wrong');
    await field('Width (px)').fill('320');
    await dialog().getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => dialog().locator('[data-connection-test]').innerText(), { timeout: 15_000 }).toMatch(/Could not connect: authentication failed/);

    await field('Password').fill(PASSWORD);
    await dialog().getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => dialog().locator('[data-connection-test]').getAttribute('data-connection-test'), { timeout: 15_000 }).toBe('ok');
    expect(await dialog().getByRole('img', { name: 'Test picture from the camera' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);

    await dialog().getByRole('button', { name: 'Add camera' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
    await expect.poll(() => grid.tileIds(), { timeout: 10_000 }).toEqual(['yard', 'porch']);
    // The RTSP camera's tile plays its H.264 in a <video>; the test pattern's is a canvas.
    await waitForMovingPictures(() => grid.livePictures(), ['yard', 'porch'], { frames: 2, timeoutMs: 20_000 });
    expect(readFileSync(camerasFile, 'utf8')).toContain(`rtsp://${USER}:${PASSWORD}@`);
  });

  it('edits a camera from its page without ever showing the saved password', async () => {
    await page.goto(`${session.server.url}/cameras/porch`);
    const cameraPage = new CameraPage(page);
    await cameraPage.main.getByRole('button', { name: 'Edit' }).click();
    expect(await field('Password').inputValue()).toBe('');
    expect(await field('User name').inputValue()).toBe(USER);
    await field('Name').fill('Front porch');
    await dialog().getByRole('button', { name: 'Test connection' }).click(); // with the saved password
    await expect.poll(() => dialog().locator('[data-connection-test]').getAttribute('data-connection-test'), { timeout: 15_000 }).toBe('ok');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cameraPage.heading.innerText(), { timeout: 10_000 }).toBe('Front porch');
    expect(await page.content()).not.toContain(PASSWORD);
    expect(readFileSync(camerasFile, 'utf8')).toContain(`rtsp://${USER}:${PASSWORD}@`);
    // The test with the wrong password answered 422, which Chromium reports on the console.
    const unexpected = session.consoleErrors.problems.filter((problem) => !/status of 422 .*\/api\/probe\)$/.test(problem.text));
    expect(unexpected).toEqual([]);
  });
});
