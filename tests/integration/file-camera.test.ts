import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { isCompleteJpeg } from '../helpers/multipart-client';
import { waitFor } from '../helpers/wait-for';

const CLIP_SECONDS = 1;
const CLIP_FPS = 10;
let registry: CaptureRegistry;
let clip: string;

beforeAll(async () => {
  const located = await locateFfmpeg();
  if (!located.ok) throw new Error(located.message);
  // A one-second recording, as a user's file would be: H.264 in MP4.
  clip = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-file-')), 'clip.mp4');
  await promisify(execFile)(located.path, [
    '-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=160x90:rate=${CLIP_FPS}:duration=${CLIP_SECONDS}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip,
  ]);
  registry = new CaptureRegistry({
    spawn: (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath: located.path,
    timing: { ...DEFAULT_TIMING, graceMs: 300 },
    log: () => {},
  });
});

afterAll(async () => {
  await registry?.shutdown();
});

describe('video file camera', () => {
  it('plays the file at its own rate and loops it without restarting ffmpeg', async () => {
    registry.setCameras([cameraSchema.parse({ id: 'clip', name: 'Clip', source: `file://${clip}` })]);
    const viewer = registry.subscribe('clip')!;
    const wanted = CLIP_FPS * CLIP_SECONDS * 2.5; // two and a half times through the clip
    const started = Date.now();
    for (let count = 0; count < wanted; count += 1) {
      const frame = await viewer.slot.next();
      expect(frame && isCompleteJpeg(frame.jpeg)).toBe(true);
    }
    const seconds = (Date.now() - started) / 1000;
    // Real time, not as fast as the disk allows: 25 frames at 10 fps take about 2.5 s.
    expect(seconds).toBeGreaterThan(1.8);
    expect(registry.snapshot('clip')).toMatchObject({ state: 'live', restarts: 0 });
  });

  it('says "not found" for a file that does not exist', async () => {
    registry.setCameras([cameraSchema.parse({ id: 'gone', name: 'Gone', source: '/nonexistent/camdash/clip.mp4' })]);
    registry.subscribe('gone');
    const failed = await waitFor(() => registry.snapshot('gone')?.failure, { timeoutMs: 10_000, message: 'the camera to fail' });
    expect(failed).toBe('not found');
    expect(registry.runningPids()).toEqual([]); // the clip camera, removed from the config, was stopped
  });
});
