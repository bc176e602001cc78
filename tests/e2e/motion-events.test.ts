import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { collectConsoleErrors, launchBrowser } from '../helpers/browser';
import { jpegSize } from '../helpers/jpeg-size';
import { partStream } from '../helpers/multipart-client';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { waitFor } from '../helpers/wait-for';
import { renderScene } from '../motion-scenes/render';
import { SCENES } from '../motion-scenes/scenes';

// Motion detection in the real server, with nobody watching: a video file of a person walking
// across a still scene (played in a loop, as camdash plays files), an RTSP camera where a ball
// keeps moving, and one where nothing moves but a masked corner. Events go to the SQLite store in the data directory,
// live state to the motion stream, counts to the metrics; a camera that goes down ends its event,
// a restart keeps the events, and a bad `motion` entry keeps the last good cameras running.
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-motion-'));
const camerasFile = path.join(directory, 'cameras.json');
const dataDir = path.join(directory, 'data');

type ApiEvent = { id: number; camera: string; startedAt: number; endedAt: number | null; zones: string[]; peak: number; snapshot: string | null };
type ApiCamera = { id: string; viewers: number; motion: { active: boolean; state: string } | null };

let walkerFile: string;
let ball: RtspServer;
let still: RtspServer;
let smallBall: RtspServer;
let server: NextServer;

const cameras = (walkerMotion: unknown = { endAfterSeconds: 2 }) => ({
  cameras: [
    { id: 'walker', name: 'Walker', source: walkerFile, motion: walkerMotion },
    { id: 'ball', name: 'Ball', source: ball.url(), motion: { endAfterSeconds: 2 } },
    // The colour bars' bottom right corner is animated snow: masked, as a timestamp overlay would be.
    { id: 'still', name: 'Still', source: still.url(), motion: { masks: [SNOW] } },
    // Motion is looked for on the substream (the ball moves only there); the picture comes from the main stream.
    { id: 'yard', name: 'Yard', source: 'test:smptebars', substream: smallBall.url(), motion: { endAfterSeconds: 2 } },
  ],
});

const SNOW = [[0.7, 0.66], [1, 0.66], [1, 1], [0.7, 1]];

const start = () => startNextServer({ camerasFile, env: { CAMDASH_DATA_DIR: dataDir } });
const json = async <T,>(url: string): Promise<T> => {
  const response = await fetch(`${server.url}${url}`);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};
const events = async (camera: string) => (await json<{ events: ApiEvent[] }>(`/api/events?camera=${camera}`)).events;
const camerasNow = async () => (await json<{ cameras: ApiCamera[]; config: { errors: string[] } }>('/api/cameras'));

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  walkerFile = await renderScene(ffmpeg.path, SCENES.find((scene) => scene.name === 'walker by day')!);
  [ball, still, smallBall] = await Promise.all([
    startRtspServer({ pattern: 'ball', fps: 10 }),
    startRtspServer({ fps: 10 }),
    startRtspServer({ pattern: 'ball', fps: 10, width: 320, height: 180 }),
  ]);
  writeFileSync(camerasFile, JSON.stringify(cameras()));
  server = await start();
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([ball?.stop(), still?.stop(), smallBall?.stop()]);
});

describe('motion detection with nobody watching', () => {
  it('catches the person walking through the file camera, with a full-size picture of the peak', async () => {
    // The scene's first walker enters at 5 s: within the 40 s loop, an event must come.
    await waitFor(async () => (await events('walker')).length > 0, { timeoutMs: 60_000, intervalMs: 500, message: 'an event of the walker camera' });
    const [event] = await events('walker');
    expect(event!.camera).toBe('walker');
    expect(event!.peak).toBeGreaterThan(0);
    await waitFor(async () => (await events('walker'))[0]!.snapshot !== null, { timeoutMs: 20_000, intervalMs: 250, message: "the event's picture" });
    const { snapshot } = (await events('walker'))[0]!;
    const response = await fetch(`${server.url}${snapshot}`);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(jpegSize(new Uint8Array(await response.arrayBuffer()))).toEqual({ width: 640, height: 360 });
  });

  it('keeps the RTSP cameras connected with no viewer: one session each, motion on the moving one only', async () => {
    await waitFor(async () => (await events('ball')).length > 0, { timeoutMs: 30_000, intervalMs: 500, message: 'an event of the ball camera' });
    expect(ball.sessions()).toBe(1);
    expect(still.sessions()).toBe(1);
    const { cameras: now } = await camerasNow();
    expect(now.find((camera) => camera.id === 'ball')!.motion).toMatchObject({ active: true, state: 'live' });
    expect(now.find((camera) => camera.id === 'still')!.motion).toMatchObject({ active: false, state: 'live' });
    expect(await events('still')).toEqual([]);
  });

  it('detects on the substream where there is one, and takes the event\'s picture from the main stream', async () => {
    await waitFor(async () => (await events('yard')).some((event) => event.snapshot !== null), { timeoutMs: 30_000, intervalMs: 500, message: "an event of the yard camera with its picture" });
    const { snapshot } = (await events('yard')).find((event) => event.snapshot !== null)!;
    const jpeg = new Uint8Array(await (await fetch(`${server.url}${snapshot}`)).arrayBuffer());
    // The main stream is the test pattern, 640 wide; the substream is 320.
    expect(jpegSize(jpeg)?.width).toBe(640);
    expect(smallBall.sessions()).toBe(1);
  });

  it('shares the camera\'s one connection with its viewers', async () => {
    const video = await fetch(`${server.url}/api/cameras/ball/video`);
    const mjpeg = partStream(await fetch(`${server.url}/api/cameras/ball/stream`));
    try {
      await mjpeg.next(15_000);
      expect(ball.sessions()).toBe(1);
    } finally {
      await video.body?.cancel();
      await mjpeg.cancel();
    }
  });

  it('streams the live motion state of every camera on one connection', async () => {
    const response = await fetch(`${server.url}/api/motion/stream`);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const seen = new Map<string, { active: boolean; boxes: unknown[] }>();
    let text = '';
    const until = Date.now() + 10_000;
    try {
      while (Date.now() < until && !(seen.get('ball')?.boxes.length && seen.has('still'))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        for (const block of text.split('\n\n').slice(0, -1)) {
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) {
            const state = JSON.parse(data.slice(6)) as { camera: string; active: boolean; boxes: unknown[] };
            seen.set(state.camera, state);
          }
        }
        text = text.slice(text.lastIndexOf('\n\n') + 2);
      }
    } finally {
      await reader.cancel();
    }
    expect(seen.get('ball')).toMatchObject({ active: true });
    expect(seen.get('ball')!.boxes.length).toBeGreaterThan(0);
    expect(seen.get('still')).toMatchObject({ active: false });
  });

  it('shows motion on the grid at a glance: a ring and boxes on the moving tile, and on its camera page', async () => {
    const browser = await launchBrowser();
    const console = collectConsoleErrors(browser.context);
    try {
      const page = await browser.context.newPage();
      const motionStreams: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/motion/stream')) motionStreams.push(request.url());
      });
      await page.goto(server.url);
      await page.locator('[data-camera="ball"] [data-motion="active"]').waitFor();
      await page.locator('[data-camera="ball"] [data-motion-box]').first().waitFor();
      await page.locator('[data-camera="still"] [data-motion="still"]').waitFor();
      expect(await page.locator('[data-camera="still"] [data-motion-box]').count()).toBe(0);
      // The tiles' motion comes on one stream for the page, not one per tile.
      expect(motionStreams).toHaveLength(1);
      await page.goto(`${server.url}/cameras/ball`);
      await page.locator('[data-camera-page="ball"] [data-motion="active"]').waitFor();
      await page.locator('[data-motion-dot="active"]').waitFor();
      expect(console.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('counts events and the detector\'s time in the metrics', async () => {
    const text = await (await fetch(`${server.url}/api/metrics`)).text();
    const value = (line: string) => Number(text.split('\n').find((candidate) => candidate.startsWith(line))?.split(' ').at(-1));
    expect(value('camdash_motion_events_total{camera="ball"}')).toBeGreaterThanOrEqual(1);
    expect(value('camdash_motion_active{camera="ball"}')).toBe(1);
    expect(value('camdash_motion_active{camera="still"}')).toBe(0);
    expect(value('camdash_motion_frames_total{camera="still"}')).toBeGreaterThan(10);
    expect(value('camdash_motion_detect_seconds_total{camera="still"}')).toBeGreaterThan(0);
  });

  it('ends the event of a camera that goes down, at the time it was last seen', async () => {
    const going = (await events('ball')).find((event) => event.endedAt === null);
    expect(going).toBeDefined();
    const stoppedAt = Date.now();
    await ball.stop();
    await waitFor(async () => (await events('ball')).find((event) => event.id === going!.id)!.endedAt !== null, { timeoutMs: 15_000, intervalMs: 250, message: 'the event to end' });
    const ended = (await events('ball')).find((event) => event.id === going!.id)!;
    expect(ended.endedAt!).toBeLessThanOrEqual(stoppedAt + 500);
    expect(ended.endedAt!).toBeGreaterThanOrEqual(ended.startedAt);
  });

  it('keeps a bad motion entry out, naming its path, and goes on detecting with the last good one', async () => {
    const framesBefore = await detectorFrames('walker');
    writeFileSync(camerasFile, JSON.stringify(cameras({ sensitivity: 'huge' })));
    await waitFor(async () => (await camerasNow()).config.errors.length > 0, { timeoutMs: 5_000, intervalMs: 100, message: 'the bad entry to be reported' });
    const { config } = await camerasNow();
    expect(config.errors.join('\n')).toMatch(/cameras\[0\] \("walker"\)\.motion\.sensitivity/);
    await waitFor(async () => (await detectorFrames('walker')) > framesBefore + 5, { timeoutMs: 10_000, intervalMs: 250, message: 'detection to go on' });
    writeFileSync(camerasFile, JSON.stringify(cameras()));
    await waitFor(async () => (await camerasNow()).config.errors.length === 0, { timeoutMs: 5_000, intervalMs: 100, message: 'the fixed file to apply' });
  });

  it('keeps the events through a restart, none left open', async () => {
    const before = [...(await events('walker')), ...(await events('ball'))];
    await server.stop();
    server = await start();
    const after = [...(await events('walker')), ...(await events('ball'))];
    for (const event of before) {
      const kept = after.find((candidate) => candidate.id === event.id);
      expect(kept).toMatchObject({ camera: event.camera, startedAt: event.startedAt });
      expect(kept!.endedAt).not.toBeNull();
    }
  });
});

async function detectorFrames(camera: string): Promise<number> {
  const text = await (await fetch(`${server.url}/api/metrics`)).text();
  return Number(text.split('\n').find((line) => line.startsWith(`camdash_motion_frames_total{camera="${camera}"}`))?.split(' ').at(-1) ?? 0);
}
