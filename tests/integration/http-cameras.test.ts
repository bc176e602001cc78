import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { JPEG_A, JPEG_B } from '../helpers/jpeg-fixtures';
import { jpegSize } from '../helpers/jpeg-size';
import { startMjpegCamera } from '../helpers/mjpeg-camera-server';
import { waitFor } from '../helpers/wait-for';

const FPS = 10;
let camera: Awaited<ReturnType<typeof startMjpegCamera>>;
let ffmpegPath: string;
let registry: CaptureRegistry | undefined;

beforeAll(async () => {
  const located = await locateFfmpeg();
  if (!located.ok) throw new Error(located.message);
  ffmpegPath = located.path;
  camera = await startMjpegCamera({ frames: [JPEG_A, JPEG_B], fps: FPS, user: 'viewer', password: 'p@ss word' });
});
afterEach(async () => {
  await registry?.shutdown();
  registry = undefined;
});
afterAll(async () => {
  await camera?.stop();
});

function startRegistry(fields: Record<string, unknown>) {
  registry = new CaptureRegistry({
    spawn: (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath,
    timing: { ...DEFAULT_TIMING, graceMs: 300, restartDelayMs: 500 },
    log: () => {},
  });
  registry.setCameras([cameraSchema.parse({ id: 'cam', name: 'Cam', ...fields })]);
  return registry;
}

async function frames(subscription: { slot: { next(): Promise<{ jpeg: Buffer } | null> } }, count: number) {
  const received: Buffer[] = [];
  while (received.length < count) {
    const frame = await subscription.slot.next();
    if (!frame) break;
    received.push(frame.jpeg);
  }
  return received;
}

describe('HTTP cameras', () => {
  it("passes an MJPEG camera's JPEGs through untouched: no decode, no re-encode", async () => {
    const viewer = startRegistry({ source: camera.url('/video.mjpg') }).subscribe('cam')!;
    const received = await frames(viewer, 6);
    // Byte for byte what the camera sent: ffmpeg copied them.
    for (const jpeg of received) expect(jpeg.equals(JPEG_A) || jpeg.equals(JPEG_B)).toBe(true);
  });

  it('re-encodes an MJPEG camera when the config asks for a smaller size', async () => {
    const viewer = startRegistry({ source: camera.url('/video.mjpg'), width: 64 }).subscribe('cam')!;
    const [jpeg] = await frames(viewer, 1);
    expect(jpegSize(jpeg!)).toEqual({ width: 64, height: 36 });
  });

  it('polls a snapshot camera at its fps', async () => {
    const viewer = startRegistry({ source: camera.url('/snapshot.jpg'), snapshot: true, fps: 5 }).subscribe('cam')!;
    const before = camera.counts.snapshots;
    const started = Date.now();
    const received = await frames(viewer, 10);
    const seconds = (Date.now() - started) / 1000;
    for (const jpeg of received) expect(jpeg.equals(JPEG_A) || jpeg.equals(JPEG_B)).toBe(true);
    // 10 frames at 5 fps: about 2 s, and one request per frame.
    expect(seconds).toBeGreaterThan(1.4);
    expect(camera.counts.snapshots - before).toBeLessThanOrEqual(12);
  });

  it('says "authentication failed" for a wrong password, and never shows it', async () => {
    const source = camera.url('/video.mjpg').replace('p%40ss%20word', 'wrong-secret');
    const reg = startRegistry({ source });
    reg.subscribe('cam');
    const snapshot = await waitFor(() => (reg.snapshot('cam')?.failure ? reg.snapshot('cam') : undefined), {
      timeoutMs: 15_000,
      message: 'the camera to fail',
    });
    expect(snapshot.failure).toBe('authentication failed');
    expect(JSON.stringify(snapshot)).not.toContain('wrong-secret');
  });

  it('says "authentication failed" for a snapshot camera with a wrong password too', async () => {
    const source = camera.url('/snapshot.jpg').replace('p%40ss%20word', 'wrong-secret');
    const reg = startRegistry({ source, snapshot: true });
    reg.subscribe('cam');
    const snapshot = await waitFor(() => (reg.snapshot('cam')?.failure ? reg.snapshot('cam') : undefined), {
      timeoutMs: 15_000,
      message: 'the camera to fail',
    });
    expect(snapshot).toMatchObject({ failure: 'authentication failed', reason: 'authentication failed: HTTP error 401 Unauthorized' });
  });

  it('says "not a video stream" for a page that is not video', async () => {
    const reg = startRegistry({ source: camera.url('/index.html') });
    reg.subscribe('cam');
    const snapshot = await waitFor(() => (reg.snapshot('cam')?.failure ? reg.snapshot('cam') : undefined), {
      timeoutMs: 15_000,
      message: 'the camera to fail',
    });
    expect(snapshot.failure).toBe('not a video stream');
  });

  it('stops reading the camera when the last viewer leaves', async () => {
    const viewer = startRegistry({ source: camera.url('/video.mjpg') }).subscribe('cam')!;
    await frames(viewer, 2);
    expect(camera.openStreams()).toBe(1);
    viewer.release();
    await waitFor(() => camera.openStreams() === 0, { timeoutMs: 5_000, message: 'the camera connection to close' });
  });
});
