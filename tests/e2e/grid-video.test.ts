import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { installVideoFrameCounter, readVideoFrames } from '../helpers/video-frame-counter';
import { waitFor } from '../helpers/wait-for';
import { GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';
import { setTabVisibility } from './tab-visibility';

// Grid tiles playing their camera's own video through Media Source Extensions, every tile on the
// grid's one connection, through the production server in Debian's Chromium: real RTSP cameras
// (GStreamer, H.264 and H.265) and H.264 test patterns. One server for the file; each test writes
// the cameras it needs into cameras.json, which the server follows without a restart.
const WIDTH = 640;
const HEIGHT = 360;
const FPS = 15;
const WALL = 36;
const WALL_FPS = 5;
const WALL_WIDTH = 320;

type CameraEntry = { id: string; name: string; source: string; [setting: string]: unknown };

let h264: RtspServer;
let h265: RtspServer;
let session: E2eSession;
let directory: string;
let camerasFile: string;

const front = (): CameraEntry => ({ id: 'front', name: 'Front door', source: h264.url() });
const pattern: CameraEntry = { id: 'pattern', name: 'Pattern', source: 'test:testsrc2', fps: 5, width: 320 };

beforeAll(async () => {
  // Clock-stamped pictures move (a sliding gradient, a running clock); the plain test pattern's bars stand still.
  [h264, h265] = await Promise.all([
    startRtspServer({ width: WIDTH, height: HEIGHT, fps: FPS, clockStamp: true }),
    startRtspServer({ width: WIDTH, height: HEIGHT, fps: FPS, clockStamp: true, codec: 'h265' }),
  ]);
  directory = mkdtempSync(path.join(tmpdir(), 'camdash-grid-video-'));
  camerasFile = path.join(directory, 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras: [front(), pattern] }));
  session = await openE2eSession({ camerasFile, graceMs: 1_000 }, { timeoutMs: 20_000 });
});

afterAll(async () => {
  await session?.close();
  await Promise.all([h264?.stop(), h265?.stop()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

type ApiCamera = { id: string; viewers: number; video: { viewers: number } | null };
const apiCameras = async () => ((await (await fetch(`${session.server.url}/api/cameras`)).json()) as { cameras: ApiCamera[] }).cameras;

/** Writes the cameras file and waits until the server runs exactly these cameras. */
async function useCameras(cameras: CameraEntry[]): Promise<void> {
  writeFileSync(camerasFile, JSON.stringify({ cameras }));
  const wanted = cameras.map((camera) => camera.id).join(',');
  await waitFor(async () => (await apiCameras()).map((camera) => camera.id).join(',') === wanted, {
    timeoutMs: 10_000,
    message: `the server to run ${cameras.length} cameras`,
  });
}

type GridStreamRequest = { cameras: string[]; video: string[] };

/** A new tab on the grid, counting its frames in the page and its requests for the grid's stream. */
async function openGrid(viewport?: { width: number; height: number }): Promise<{ page: Page; grid: GridPage; streams: GridStreamRequest[] }> {
  const page = await session.browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  await page.addInitScript(installVideoFrameCounter);
  const streams: GridStreamRequest[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/api/grid/stream') return;
    const list = (name: string) => (url.searchParams.get(name) ?? '').split(',').filter(Boolean);
    streams.push({ cameras: list('cameras'), video: list('video') });
  });
  const grid = new GridPage(page);
  await grid.open(session.server.url);
  return { page, grid, streams };
}

/** ms after navigation start at which each of `ids` presented its first video frame, once all have. */
async function firstVideoFrames(page: Page, ids: readonly string[], timeoutMs: number): Promise<number[]> {
  let last: Record<string, number> = {};
  await waitFor(
    async () => {
      last = (await readVideoFrames(page)).firstPresented;
      return ids.every((id) => last[id] !== undefined);
    },
    { timeoutMs, intervalMs: 100, message: `a first video frame on each of ${ids.length} tiles` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; tiles without one: ${ids.filter((id) => last[id] === undefined).join(', ')}`);
  });
  return ids.map((id) => last[id]!);
}

/** Waits until each of `ids` has presented `frames` more video frames than now; returns their frames per second meanwhile. */
async function waitForVideoFrames(page: Page, ids: readonly string[], frames: number, timeoutMs = 10_000): Promise<number[]> {
  const before = await readVideoFrames(page);
  let after = before;
  const gained = (id: string) => (after.presented[id] ?? 0) - (before.presented[id] ?? 0);
  await waitFor(
    async () => {
      after = await readVideoFrames(page);
      return ids.every((id) => gained(id) >= frames);
    },
    { timeoutMs, intervalMs: 100, message: `${frames} more video frames on each of ${ids.length} tiles` },
  ).catch((error: Error) => {
    const behind = ids.filter((id) => gained(id) < frames).map((id) => `${id} (+${gained(id)})`);
    throw new Error(`${error.message}; tiles behind: ${behind.join(', ')}`);
  });
  return ids.map((id) => gained(id) / ((after.now - before.now) / 1000));
}

const videoOf = (page: Page, id: string) => page.locator(`a[data-camera="${id}"] video[data-video="${id}"]`);

describe('grid tiles with their camera’s own video, on the grid’s one connection', () => {
  it('plays an RTSP camera’s H.264 in its tile and shows a test pattern as MJPEG, saying why, on one request', async () => {
    await useCameras([front(), pattern]);
    const { page, grid, streams } = await openGrid();
    try {
      expect(await grid.tileIds()).toEqual(['front', 'pattern']);
      const [first] = await firstVideoFrames(page, ['front'], 20_000);
      console.log(`grid, RTSP H.264 tile: first video frame ${first!.toFixed(0)} ms after navigation start`);
      expect(await grid.livePaths()).toEqual({
        front: { path: 'h264', reason: '' },
        pattern: { path: 'mjpeg', reason: 'a test pattern is made as JPEG' },
      });

      await expect.poll(() => videoOf(page, 'front').evaluate((video: HTMLVideoElement) => [video.videoWidth, video.videoHeight])).toEqual([WIDTH, HEIGHT]);
      const [fps] = await waitForVideoFrames(page, ['front'], 15);
      console.log(`grid, RTSP H.264 tile: ${fps!.toFixed(1)} frames presented per second (camera at ${FPS})`);
      const [motion] = await waitForMovingPictures(() => grid.videos(), ['front'], { frames: 5 });
      expect(motion).toMatchObject({ width: WIDTH, height: HEIGHT });

      await waitForMovingPictures(() => grid.pictures(), ['pattern'], { frames: 3 });
      expect(await page.locator('a[data-camera="pattern"] video').count()).toBe(0);
      await expect.poll(() => grid.statuses(), { timeout: 10_000 }).toEqual({ front: 'live', pattern: 'live' });
      expect((await page.locator('a[data-camera="front"]').innerText()).split('\n')).toContain('H.264');

      expect(streams).toEqual([{ cameras: ['front', 'pattern'], video: ['front'] }]);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it('keeps a video tile on its player when another tile leaves, and gives the player up while the tab is hidden', { timeout: 90_000 }, async () => {
    await useCameras([front(), pattern]);
    // One column, so that a short window leaves the pattern's tile (the second) out of view.
    const { page, grid, streams } = await openGrid({ width: 420, height: 800 });
    try {
      await firstVideoFrames(page, ['front'], 20_000);
      await waitForMovingPictures(() => grid.pictures(), ['pattern'], { frames: 2 });
      const source = await videoOf(page, 'front').evaluate((video: HTMLVideoElement) => video.src);

      // The pattern's tile leaves: one new connection, the video tile's player carries on with it.
      await page.setViewportSize({ width: 420, height: 120 });
      await waitFor(() => streams.length === 2, { timeoutMs: 10_000, message: 'a new grid connection without the pattern' });
      expect(streams[1]).toEqual({ cameras: ['front'], video: ['front'] });
      await waitForVideoFrames(page, ['front'], 10);
      expect(await videoOf(page, 'front').evaluate((video: HTMLVideoElement) => video.src)).toBe(source);
      expect((await readVideoFrames(page)).sources.front).toBe(1);

      // Hidden: the connection closes, the player goes, and the tile keeps its last picture on its canvas, dimmed.
      await setTabVisibility(page, 'hidden');
      await waitFor(async () => (await apiCameras()).every((camera) => camera.viewers === 0 && (camera.video?.viewers ?? 0) === 0), {
        timeoutMs: 10_000,
        message: 'no viewer left on any camera',
      });
      expect(await videoOf(page, 'front').getAttribute('src')).toBeNull();
      const kept = (await grid.pictures()).find((picture) => picture.id === 'front');
      expect(kept).toMatchObject({ width: WIDTH, height: HEIGHT });
      expect(kept?.hash).not.toBeNull();
      expect(await page.locator('a[data-camera="front"] canvas').getAttribute('class')).toContain('opacity-40');

      // Shown again: the server starts the tile with the init and the frames since the keyframe.
      const shownAt = await page.evaluate(() => performance.now());
      await setTabVisibility(page, 'visible');
      await waitFor(async () => ((await readVideoFrames(page)).sources.front ?? 0) >= 2, {
        timeoutMs: 10_000,
        message: 'a new player’s first frame on the tile shown again',
      });
      const back = await page.evaluate(() => performance.now());
      console.log(`grid, H.264 tile: playing again ${(back - shownAt).toFixed(0)} ms after the tab was shown (sampled every 50 ms)`);
      expect(back - shownAt).toBeLessThan(5_000);
      await waitForVideoFrames(page, ['front'], 10);
      await waitForMovingPictures(() => grid.videos(), ['front'], { frames: 3 });
      await expect.poll(() => grid.statuses()).toMatchObject({ front: 'live' });
      expect((await grid.livePaths()).front).toEqual({ path: 'h264', reason: '' });
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it('plays a video tile again, with a new player, when its camera comes back after an outage, on the same connection', { timeout: 90_000 }, async () => {
    await useCameras([front(), pattern]);
    const { page, grid, streams } = await openGrid();
    try {
      await firstVideoFrames(page, ['front'], 20_000);
      const port = h264.port;
      await h264.stop();
      await waitFor(async () => (await grid.statuses()).front === 'offline', { timeoutMs: 15_000, message: 'the tile to show its camera offline' });
      // Down is no reason to give up on the video: the camera's MJPEG would be down as well.
      expect((await grid.livePaths()).front).toEqual({ path: 'h264', reason: '' });

      // Back at once, so that the old player still counts as playing when the camera's new init
      // comes: the new stream (its timestamps start again) must get a player of its own.
      h264 = await startRtspServer({ width: WIDTH, height: HEIGHT, fps: FPS, clockStamp: true, port });
      await waitFor(async () => ((await readVideoFrames(page)).sources.front ?? 0) >= 2, {
        timeoutMs: 30_000,
        message: 'a new player’s frames on the tile',
      });
      await waitForVideoFrames(page, ['front'], 10);
      await waitForMovingPictures(() => grid.videos(), ['front'], { frames: 3 });
      await expect.poll(() => grid.statuses(), { timeout: 10_000 }).toEqual({ front: 'live', pattern: 'live' });
      expect((await grid.livePaths()).front).toEqual({ path: 'h264', reason: '' });
      // The camera's new init came on the grid's connection: the page did not connect again.
      expect(streams).toHaveLength(1);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it('falls back to MJPEG by itself for an H.265 camera, naming the codec, with moving pictures, in one reconnect', async () => {
    await useCameras([front(), { id: 'hevc', name: 'H.265 camera', source: h265.url() }]);
    const { page, grid, streams } = await openGrid();
    try {
      await page.locator('a[data-camera="hevc"][data-live-path="mjpeg"]').waitFor({ timeout: 15_000 });
      const { hevc } = await grid.livePaths();
      console.log(`grid, H.265 tile: "${hevc?.reason}"`);
      expect(hevc?.reason).toMatch(/^this browser cannot play (hvc1|hev1)\.[\w.]+$/);
      await waitForMovingPictures(() => grid.pictures(), ['hevc'], { frames: 3, timeoutMs: 20_000 });
      expect(await page.locator('a[data-camera="hevc"] video').count()).toBe(0);

      // The H.264 tile beside it plays on, on the same player across the reconnect.
      await firstVideoFrames(page, ['front'], 15_000);
      await waitForVideoFrames(page, ['front'], 10);
      await expect.poll(() => grid.statuses(), { timeout: 10_000 }).toEqual({ front: 'live', hevc: 'live' });
      expect(streams).toEqual([
        { cameras: ['front', 'hevc'], video: ['front', 'hevc'] },
        { cameras: ['front', 'hevc'], video: ['front'] },
      ]);
      expect((await readVideoFrames(page)).sources.front).toBe(1);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it(`plays ${WALL} H.264 tiles in one tab over HTTP/1.1, on one connection`, { timeout: 150_000 }, async () => {
    const ids = Array.from({ length: WALL }, (_, index) => `wall-${String(index + 1).padStart(2, '0')}`);
    await useCameras(ids.map((id) => ({ id, name: id, source: 'test:testsrc2', codec: 'h264', fps: WALL_FPS, width: WALL_WIDTH })));
    const { page, grid, streams } = await openGrid({ width: 1600, height: 1400 });
    try {
      const firsts = await firstVideoFrames(page, ids, 60_000);
      console.log(
        `grid, ${WALL} H.264 tiles: first video frame on the first tile ${(Math.min(...firsts) / 1000).toFixed(1)} s, ` +
          `on all ${WALL} ${(Math.max(...firsts) / 1000).toFixed(1)} s after navigation start`,
      );
      const paths = await grid.livePaths();
      expect(Object.entries(paths).filter(([, path]) => path.path !== 'h264')).toEqual([]);
      const rates = await waitForVideoFrames(page, ids, 5, 20_000);
      const sorted = [...rates].sort((a, b) => a - b);
      console.log(`grid, ${WALL} H.264 tiles, just after the start (over the source rate while playback catches up): frames presented per second min ${sorted[0]!.toFixed(1)}, median ${sorted[WALL / 2]!.toFixed(1)} (source ${WALL_FPS})`);
      await expect.poll(() => grid.statuses(), { timeout: 15_000 }).toEqual(Object.fromEntries(ids.map((id) => [id, 'live'])));
      expect(streams).toHaveLength(1);
      expect(streams[0]).toEqual({ cameras: ids, video: ids });
      // Other requests of the page still get through while every tile plays.
      expect(await page.evaluate(async () => (await fetch('/api/health', { signal: AbortSignal.timeout(5_000) })).status)).toBe(200);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });
});
