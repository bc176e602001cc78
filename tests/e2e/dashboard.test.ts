import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchBrowser, type ConsoleProblem, type TestBrowser } from '../helpers/browser';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { processAlive, waitFor } from '../helpers/wait-for';
import { CameraPage, GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';

const CAMERAS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/e2e-cameras.json');
const CAMERAS = (JSON.parse(readFileSync(CAMERAS_FILE, 'utf8')) as { cameras: { id: string; name: string; width: number }[] }).cameras;
const IDS = CAMERAS.map((camera) => camera.id);
const WIDTH = CAMERAS[0]!.width;
const HEIGHT = Math.round((WIDTH * 9) / 16);
const ROUND_TRIPS = 10;
const MISSING = '/cameras/does-not-exist';

let server: NextServer | undefined;
let browser: TestBrowser | undefined;
let page: Page;
let problems: ConsoleProblem[];
let grid: GridPage;
let cameraPage: CameraPage;

const failureContext = () => `\n--- server output ---\n${server?.log() ?? '(no server)'}`;

async function apiCameras(): Promise<{ id: string; status: string; viewers: number }[]> {
  const response = await fetch(`${server!.url}/api/cameras`);
  return ((await response.json()) as { cameras: { id: string; status: string; viewers: number }[] }).cameras;
}

async function expectAllTilesLive(): Promise<void> {
  const motion = await waitForMovingPictures(() => grid.pictures(), IDS, { timeoutMs: 10_000 });
  for (const picture of motion) expect(picture, picture.id).toMatchObject({ width: WIDTH, height: HEIGHT });
  await expect.poll(() => grid.statuses(), { timeout: 10_000 }).toEqual(Object.fromEntries(IDS.map((id) => [id, 'live'])));
}

/** A new tab in place of the old one, whose streams close with it: one failed test does not starve the next. */
async function freshPage(): Promise<void> {
  const old = browser!.context.pages();
  page = await browser!.context.newPage();
  grid = new GridPage(page);
  cameraPage = new CameraPage(page);
  await Promise.all(old.map((tab) => tab.close()));
}

beforeAll(async () => {
  server = await startNextServer({ camerasFile: CAMERAS_FILE, graceMs: 1_000 });
  browser = await launchBrowser();
  problems = collectConsoleErrors(browser.context).problems;
  await freshPage();
});

afterAll(async () => {
  // Both are stopped whatever failed; the browser first, so the server sees its viewers leave.
  await browser?.close().catch(() => {});
  if (server && !server.exited()) await server.stop().catch(() => {});
});

describe('camdash in a real browser against `next start`', () => {
  it('shows one tile per camera, in cameras-file order, each with its name', async () => {
    await grid.open(server!.url);
    expect(await grid.tileIds()).toEqual(IDS);
    const texts = await grid.tileTexts();
    CAMERAS.forEach((camera, index) => expect(texts[index]).toContain(camera.name));
  });

  it('plays every tile: real pixels of the configured size that keep changing, and a live badge', async () => {
    await expectAllTilesLive();
  });

  it('opens a camera from its tile: name, live picture, Fullscreen button, and `f` for fullscreen', async () => {
    const camera = CAMERAS[1]!;
    await grid.tile(camera.id).click();
    await page.waitForURL(`${server!.url}/cameras/${camera.id}`);
    expect(await cameraPage.cameraId()).toBe(camera.id);
    expect(await cameraPage.heading.innerText()).toBe(camera.name);
    expect(await page.title()).toContain(camera.name);
    await waitForMovingPictures(() => cameraPage.pictures(), [camera.id]);
    await expect.poll(() => cameraPage.badge.getAttribute('data-status')).toBe('live');
    expect(await cameraPage.fullscreenButton.innerText()).toBe('Fullscreen');

    await page.keyboard.press('f');
    await expect.poll(() => cameraPage.fullscreen()).toEqual({ active: true, holdsPicture: true });
    await expect.poll(() => cameraPage.fullscreenButton.innerText()).toBe('Exit fullscreen');
    await page.keyboard.press('f');
    await expect.poll(() => cameraPage.fullscreen()).toEqual({ active: false, holdsPicture: false });

    await cameraPage.fullscreenButton.click();
    await expect.poll(() => cameraPage.fullscreen()).toEqual({ active: true, holdsPicture: true });
    // The button lies outside the fullscreen stage, so only the key (or Esc) can leave it again.
    await page.keyboard.press('f');
    await expect.poll(() => cameraPage.fullscreen()).toEqual({ active: false, holdsPicture: false });
  });

  it(`keeps every tile live after ${ROUND_TRIPS} trips grid → camera → grid, and releases the viewers it left`, async () => {
    await cameraPage.backLink.click();
    await page.waitForURL(`${server!.url}/`);
    for (let trip = 1; trip <= ROUND_TRIPS; trip++) {
      const camera = CAMERAS[trip % CAMERAS.length]!;
      try {
        await grid.tile(camera.id).click();
        await page.waitForURL(`${server!.url}/cameras/${camera.id}`);
        // Each camera page must really get its stream, or the trips would not load any connection.
        await expect.poll(() => cameraPage.badge.getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
        // Both ways back that people use: the page's own link, and the browser's back button.
        if (trip % 2 === 0) await cameraPage.backLink.click();
        else await page.goBack();
        await page.waitForURL(`${server!.url}/`);
        await grid.tiles.first().waitFor();
      } catch (error) {
        // Stuck navigations are what a browser out of connections to the host looks like.
        const viewers = (await apiCameras()).map((c) => `${c.id}=${c.viewers}`).join(' ');
        throw new Error(`trip ${trip} (${camera.id}) failed; server viewers: ${viewers}\n${(error as Error).message}`);
      }
    }

    await expectAllTilesLive();
    // One viewer per open tile: every camera page's stream was closed when the page was left.
    await expect
      .poll(async () => Object.fromEntries((await apiCameras()).map((camera) => [camera.id, camera.viewers])), { timeout: 10_000 })
      .toEqual(Object.fromEntries(IDS.map((id) => [id, 1])));
  });

  it('answers an unknown camera with HTTP 404 and the not-found page', async () => {
    await freshPage();
    const response = await page.goto(`${server!.url}${MISSING}`);
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Not found');
    expect(await page.locator('main').innerText()).toContain('There is no camera or page at this address.');
  });

  it('logs no console errors and throws no page errors on the way', () => {
    // The browser itself reports the 404 document it was sent to on purpose.
    const expected = (problem: ConsoleProblem) => problem.page.endsWith(MISSING) && /status of 404/.test(problem.text);
    expect(problems.filter((problem) => !expected(problem))).toEqual([]);
  });

  it('exits within 5 s of SIGTERM while a browser watches, leaving no ffmpeg behind', async () => {
    await freshPage();
    await grid.open(server!.url);
    await waitForMovingPictures(() => grid.pictures(), IDS);
    const running = await waitFor(
      async () => {
        const health = (await (await fetch(`${server!.url}/api/health`)).json()) as { ffmpegProcesses: number };
        return health.ffmpegProcesses === IDS.length;
      },
      { timeoutMs: 10_000, message: `${IDS.length} ffmpeg processes` },
    ).catch((error: Error) => error);
    expect(running, failureContext()).toBe(true);
    const pids = server!.ffmpegPids();
    expect(pids.length, failureContext()).toBeGreaterThanOrEqual(IDS.length);

    const exit = await server!.stop(10_000);
    expect(exit.ms, failureContext()).toBeLessThan(5_000);
    // 143 = 128 + SIGTERM: Next's own handler exits, after camdash has stopped every camera.
    expect(exit.code, failureContext()).toBe(143);
    expect(server!.log()).toContain('cameras stopped');
    expect(pids.filter(processAlive), failureContext()).toEqual([]);
  });
});
