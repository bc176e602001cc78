import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { isCompleteJpeg, partStream, readParts } from '../helpers/multipart-client';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { waitFor } from '../helpers/wait-for';
import { framesPresentedIn } from '../helpers/video-frame-counter';
import { CameraPage, sampleVideos } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';

// The camera page on a real RTSP camera (GStreamer, H.264 baseline), through the production
// server, in Debian's Chromium: its own video through Media Source Extensions, MJPEG where that
// cannot be, and the camera's one connection shared by both.
const WIDTH = 640;
const HEIGHT = 360;
const FPS = 15;

let rtsp: RtspServer;
let session: E2eSession;
let directory: string;

beforeAll(async () => {
  // Clock-stamped pictures move (a sliding gradient, a running clock); the plain test pattern's bars stand still.
  rtsp = await startRtspServer({ width: WIDTH, height: HEIGHT, fps: FPS, clockStamp: true });
  directory = mkdtempSync(path.join(tmpdir(), 'camdash-live-video-'));
  const camerasFile = path.join(directory, 'cameras.json');
  writeFileSync(
    camerasFile,
    JSON.stringify({
      cameras: [
        { id: 'front', name: 'Front door', source: rtsp.url() },
        { id: 'pattern', name: 'Pattern', source: 'test:testsrc2', fps: 10, width: 320 },
      ],
    }),
  );
  session = await openE2eSession({ camerasFile });
});

afterAll(async () => {
  await session?.close();
  await rtsp?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

type FirstPicture = { path: 'h264' | 'mjpeg'; at: number };

/**
 * Notes, in the page, when its first camera picture is on screen, in ms from navigation start:
 * a video's first presented frame (requestVideoFrameCallback, watched from the moment the element
 * exists), or the first frame drawn on a picture canvas.
 */
function watchFirstPicture(): void {
  const scope = window as unknown as { firstPicture?: FirstPicture };
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
    if (this.canvas.matches('[data-picture]')) scope.firstPicture ??= { path: 'mjpeg', at: performance.now() };
    return (draw as (...drawArgs: unknown[]) => void).apply(this, args);
  } as typeof draw;
  const watched = new WeakSet<HTMLVideoElement>();
  new MutationObserver(() => {
    for (const video of document.querySelectorAll<HTMLVideoElement>('video[data-video]')) {
      if (watched.has(video)) continue;
      watched.add(video);
      video.requestVideoFrameCallback((now) => (scope.firstPicture ??= { path: 'h264', at: now }));
    }
  }).observe(document, { childList: true, subtree: true });
}

/** A browser whose Media Source Extensions refuse every codec, as Chromium does H.265 without a hardware decoder. */
function refuseEveryCodec(): void {
  if (window.MediaSource) window.MediaSource.isTypeSupported = () => false;
}

async function openCameraPage(id: string, { unplayable = false } = {}): Promise<{ page: Page; camera: CameraPage; videoRequests: string[] }> {
  const page = await session.browser.context.newPage();
  await page.addInitScript(watchFirstPicture);
  if (unplayable) await page.addInitScript(refuseEveryCodec);
  const videoRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/video')) videoRequests.push(request.url());
  });
  await page.goto(`${session.server.url}/cameras/${id}`);
  return { page, camera: new CameraPage(page), videoRequests };
}

async function firstPicture(page: Page): Promise<FirstPicture> {
  const handle = await page.waitForFunction(() => (window as unknown as { firstPicture?: FirstPicture }).firstPicture, undefined, { timeout: 15_000 });
  return (await handle.jsonValue()) as FirstPicture;
}

async function livePath(page: Page): Promise<{ path: string | null; reason: string | null; text: string }> {
  const label = page.locator('[data-live-path]');
  return { path: await label.getAttribute('data-live-path'), reason: await label.getAttribute('data-live-path-reason'), text: await label.innerText() };
}

async function waitForLivePath(page: Page, wanted: 'h264' | 'mjpeg'): Promise<{ path: string | null; reason: string | null; text: string }> {
  await page.waitForSelector(`[data-live-path="${wanted}"]`, { timeout: 15_000 });
  return livePath(page);
}

/** The overlay's `N fps · M ms` once it shows at least `minFps` and a frame younger than a second. */
async function waitForOverlay(page: Page, minFps: number): Promise<string> {
  const overlay = page.locator('[data-live-overlay]');
  return waitFor(
    async () => {
      const text = (await overlay.count()) ? await overlay.innerText() : '';
      const match = /^([\d.]+) fps · (\d+) ms$/.exec(text);
      return match && Number(match[1]) >= minFps && Number(match[2]) < 1_000 ? text : null;
    },
    { timeoutMs: 10_000, message: `the overlay to show at least ${minFps} fps and a fresh frame` },
  );
}

describe('the camera page, with the camera’s own video', () => {
  it('plays an RTSP camera’s H.264 in a <video>: full size, moving, at its frame rate, labelled h264', async () => {
    const cold = await openCameraPage('front');
    try {
      const first = await firstPicture(cold.page);
      console.log(`h264, camera not yet connected: first frame ${first.at.toFixed(0)} ms after navigation start`);
      expect(first.path).toBe('h264');
      const label = await waitForLivePath(cold.page, 'h264');
      expect(label.reason).toBe('');
      expect(label.text).toMatch(new RegExp(`^H\\.264 · ${WIDTH}×${HEIGHT}`));
      expect(await cold.page.locator('canvas[data-picture]').count()).toBe(0);

      expect(await cold.page.locator('video[data-video="front"]').evaluate((video: HTMLVideoElement) => video.videoWidth)).toBe(WIDTH);
      const frames = await framesPresentedIn(cold.page, 2_000);
      console.log(`h264: ${frames} frames presented in 2 s (camera at ${FPS} fps)`);
      expect(frames).toBeGreaterThanOrEqual(10);
      const [motion] = await waitForMovingPictures(() => sampleVideos(cold.page), ['front'], { frames: 5 });
      expect(motion).toMatchObject({ width: WIDTH, height: HEIGHT });
      console.log(`h264 overlay: ${await waitForOverlay(cold.page, 10)}`);
      expect(await cold.camera.badge.getAttribute('data-status')).toBe('live');
      // The server's measure of the camera's bitrate comes with the next poll of /api/cameras.
      await waitFor(async () => /^H\.264 · 640×360 · [\d.]+ (k|M)bit\/s$/.test((await livePath(cold.page)).text), {
        timeoutMs: 10_000,
        message: 'the label to show the bitrate',
      });
      console.log(`h264 label: ${(await livePath(cold.page)).text}`);

      // A second viewer of a camera that is connected already.
      const warm = await openCameraPage('front');
      try {
        const warmFirst = await firstPicture(warm.page);
        console.log(`h264, camera connected: first frame ${warmFirst.at.toFixed(0)} ms after navigation start`);
        expect(warmFirst.path).toBe('h264');
        expect(warmFirst.at).toBeLessThan(5_000);
      } finally {
        await warm.page.close();
      }
    } finally {
      await cold.page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it('shows a test-pattern camera as MJPEG on the canvas, saying why, without asking for video', async () => {
    const { page, camera, videoRequests } = await openCameraPage('pattern');
    try {
      const first = await firstPicture(page);
      console.log(`mjpeg (test pattern): first frame ${first.at.toFixed(0)} ms after navigation start`);
      expect(first.path).toBe('mjpeg');
      const label = await waitForLivePath(page, 'mjpeg');
      expect(label).toEqual({ path: 'mjpeg', reason: 'a test pattern is made as JPEG', text: 'MJPEG — a test pattern is made as JPEG' });
      await waitForMovingPictures(() => camera.pictures(), ['pattern'], { frames: 3 });
      await waitForOverlay(page, 8);
      expect(await page.locator('video').count()).toBe(0);
      expect(videoRequests).toEqual([]);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  /** Opens the camera page in a browser that cannot play the camera's codec, and checks it shows MJPEG instead, moving. */
  async function checkFallback(state: string): Promise<void> {
    const { page, camera, videoRequests } = await openCameraPage('front', { unplayable: true });
    try {
      const label = await waitForLivePath(page, 'mjpeg');
      expect(label.reason).toMatch(/^this browser cannot play avc1\.[0-9A-F]{6}$/);
      expect(label.text).toBe(`MJPEG — ${label.reason}`);
      const first = await firstPicture(page);
      console.log(`mjpeg after falling back, ${state}: first frame ${first.at.toFixed(0)} ms after navigation start; "${label.text}"`);
      expect(first.path).toBe('mjpeg');
      const [motion] = await waitForMovingPictures(() => camera.pictures(), ['front'], { frames: 3 });
      expect(motion).toMatchObject({ width: WIDTH, height: HEIGHT });
      await waitForOverlay(page, 8);
      expect(await page.locator('video').count()).toBe(0);
      // It asked once, learnt the codec, and stays on MJPEG.
      expect(videoRequests).toHaveLength(1);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  }

  it('falls back to MJPEG by itself in a browser that cannot play the codec, naming it', async () => {
    // The camera connected already (held by a video viewer), so that what is timed is the page's own start.
    const holder = partStream(await fetch(`${session.server.url}/api/cameras/front/video`));
    try {
      expect((await holder.next()).headers['x-video']).toBe('init');
      await checkFallback('camera connected');
    } finally {
      await holder.cancel();
    }
  });

  // The page falls back in the moment between the camera's init and its first frame: the MJPEG
  // transcoder that subscribes then must be handed the init too.
  it('falls back to MJPEG on a camera that is not yet connected', async () => {
    await waitFor(() => rtsp.sessions() === 0, { timeoutMs: 15_000, message: 'earlier RTSP sessions to end' });
    await checkFallback('camera not yet connected');
  });

  it('shares the camera’s one RTSP session between the page’s video, an MJPEG viewer and snapshots', async () => {
    // Earlier tests' viewers are gone after the grace period; the count must start clean.
    await waitFor(() => rtsp.sessions() === 0, { timeoutMs: 15_000, message: 'earlier RTSP sessions to end' });
    const sessionsBefore = rtsp.sessionsCreated();
    const { page } = await openCameraPage('front');
    try {
      await waitForLivePath(page, 'h264');
      await waitForOverlay(page, 10);

      const parts = await readParts(await fetch(`${session.server.url}/api/cameras/front/stream`), 5);
      expect(parts.every((part) => isCompleteJpeg(part.body))).toBe(true);
      const snapshot = await fetch(`${session.server.url}/api/cameras/front/snapshot`);
      expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
      expect(isCompleteJpeg(new Uint8Array(await snapshot.arrayBuffer()))).toBe(true);

      // The page's Snapshot button, on the video path: the server's JPEG, named as on the MJPEG path.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Snapshot' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^front-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.jpg$/);
      expect(isCompleteJpeg(readFileSync((await download.path())!))).toBe(true);

      // The video kept playing through all of that.
      expect(await framesPresentedIn(page, 1_000)).toBeGreaterThanOrEqual(5);
      expect(rtsp.sessions()).toBe(1);
      expect(rtsp.sessionsCreated() - sessionsBefore).toBe(1);
      // Prometheus counts the bytes of each path.
      const metrics = await (await fetch(`${session.server.url}/api/metrics`)).text();
      const pathBytes = (path: string) => Number(new RegExp(`^camdash_camera_path_bytes_out_total\\{camera="front",path="${path}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
      expect(pathBytes('h264')).toBeGreaterThan(0);
      expect(pathBytes('mjpeg')).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it('plays a camera it joined as it was connecting, when the first response brings frames before any init', async () => {
    // A viewer that subscribes between the camera's init and its first frame must get the init too
    // (and a page that ever gets frames before an init asks again). Its request is held until
    // another viewer has seen the init of a camera just connected, so that it lands in that moment.
    await waitFor(() => rtsp.sessions() === 0, { timeoutMs: 15_000, message: 'earlier RTSP sessions to end' });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const page = await session.browser.context.newPage();
    const videoRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/video')) videoRequests.push(request.url());
    });
    let holder: ReturnType<typeof partStream> | undefined;
    try {
      await page.route('**/api/cameras/front/video', async (route) => {
        await released;
        await route.continue();
      });
      await page.goto(`${session.server.url}/cameras/front`);
      await waitFor(() => videoRequests.length > 0, { timeoutMs: 10_000, message: 'the page to ask for the video' });
      holder = partStream(await fetch(`${session.server.url}/api/cameras/front/video`));
      expect((await holder.next()).headers['x-video']).toBe('init');
      release();
      await waitForOverlay(page, 10);
      await waitForMovingPictures(() => sampleVideos(page), ['front'], { frames: 3 });
      expect((await livePath(page)).path).toBe('h264');
      console.log(`joined as the camera connected: ${videoRequests.length} video request(s) before it played`);
    } finally {
      release();
      await holder?.cancel();
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it('plays the video again, with a new player, when the camera comes back after an outage', async () => {
    const { page, camera, videoRequests } = await openCameraPage('front');
    try {
      await waitForLivePath(page, 'h264');
      await waitForOverlay(page, 10);
      const port = rtsp.port;
      await rtsp.stop();
      await waitFor(async () => (await camera.badge.getAttribute('data-status')) === 'offline', {
        timeoutMs: 15_000,
        message: 'the page to show the camera offline',
      });
      // Down is no reason to give up on the video: the camera's MJPEG would be down as well.
      expect((await livePath(page)).path).toBe('h264');

      rtsp = await startRtspServer({ width: WIDTH, height: HEIGHT, fps: FPS, clockStamp: true, port });
      await waitFor(async () => (await camera.badge.getAttribute('data-status')) === 'live', {
        timeoutMs: 30_000,
        message: 'the page to play the camera again',
      });
      await waitForMovingPictures(() => sampleVideos(page), ['front'], { frames: 5 });
      expect(await framesPresentedIn(page, 1_000)).toBeGreaterThanOrEqual(5);
      expect(await livePath(page)).toMatchObject({ path: 'h264', reason: '' });
      // The same response carried the camera's new init segment: the page did not have to ask again.
      expect(videoRequests).toHaveLength(1);
    } finally {
      await page.close();
    }
    expect(session.consoleErrors.problems).toEqual([]);
  });
});
