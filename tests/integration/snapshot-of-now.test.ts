import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { snapshotResponse } from '@/lib/http/snapshot-response';
import { delayMs, readClockStamps } from '@/scripts/bench/clock-stamp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { waitFor } from '../helpers/wait-for';

// A snapshot (and an MJPEG viewer's first frame) of a camera whose video is already flowing is of
// now: the transcoder decodes the frames since the last keyframe to reach the current one, but
// makes no JPEG of the older ones. The camera stamps its clock into each picture; its keyframes
// are 4 s apart, so a picture of the keyframe would be seconds old.
const FPS = 15;
const GOP = 60;
let ffmpegPath: string;
let rtsp: RtspServer;
let registry: CaptureRegistry;

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  ffmpegPath = ffmpeg.path;
  // As wide as the clock stamp's 32 blocks of 32 px need.
  rtsp = await startRtspServer({ width: 1024, height: 576, fps: FPS, gopFrames: GOP, clockStamp: true });
  registry = new CaptureRegistry({
    spawn: (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath,
    timing: { ...DEFAULT_TIMING, graceMs: 500 },
    log: () => {},
  });
  registry.setCameras([cameraSchema.parse({ id: 'door', name: 'Door', source: rtsp.url() })]);
});

afterAll(async () => {
  await registry?.shutdown();
  await rtsp?.stop();
});

describe('a snapshot of a camera whose video is playing', () => {
  it('is of now, not of the last keyframe', async () => {
    // A browser plays the video: the connection runs, the transcoder does not.
    const player = registry.subscribeVideo('door')!;
    try {
      // Late in a 4 s GOP: the keyframe's picture would be 2.7 s old or more.
      await waitFor(
        () => {
          const framesIn = registry.snapshot('door')?.video?.framesIn ?? 0;
          return framesIn > GOP && framesIn % GOP >= 40 && framesIn % GOP < GOP - 5;
        },
        { timeoutMs: 30_000, intervalMs: 10, message: 'the camera mid-GOP' },
      );
      for (let item = player.feed.take(); item; item = player.feed.take());
      const subscription = registry.subscribe('door')!;
      const response = await snapshotResponse(subscription, 15_000, () => undefined);
      const receivedAt = Date.now();
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      const [stamp] = await readClockStamps([new Uint8Array(await response.arrayBuffer())], ffmpegPath);
      const age = delayMs(receivedAt, stamp!);
      console.info(`[snapshot-of-now] snapshot of a camera mid-GOP: picture ${age} ms old`);
      // Starting the transcoder and decoding up to 4 s of frames takes its time on a busy machine
      // (0.36 s idle, 1.06 s with both cores taken); the keyframe's picture would be 2.7 s old.
      expect(age).toBeLessThan(1_500);
    } finally {
      player.release();
    }
  });
});
