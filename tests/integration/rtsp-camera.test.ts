import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CaptureRegistry, type Subscription } from '@/lib/capture/registry';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { cameraSchema } from '@/lib/config/schema';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { isCompleteJpeg } from '../helpers/multipart-client';
import { jpegSize } from '../helpers/jpeg-size';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { processAlive, waitFor } from '../helpers/wait-for';

// A real RTSP server (GStreamer), the real registry and the real ffmpeg, as a user's IP camera.
const GRACE_MS = 500;
const CREDENTIALS = { user: 'viewer', password: 'p@ss w0rd:/#' };

let ffmpegPath: string;
let open: RtspServer;
let guarded: RtspServer;
let registry: CaptureRegistry | undefined;
const log: string[] = [];

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  ffmpegPath = ffmpeg.path;
  [open, guarded] = await Promise.all([startRtspServer(), startRtspServer({ ...CREDENTIALS, width: 320, height: 240 })]);
});

afterEach(async () => {
  await registry?.shutdown();
  registry = undefined;
  log.length = 0;
});

afterAll(async () => {
  await Promise.all([open?.stop(), guarded?.stop()]);
});

function startRegistry(cameras: Record<string, unknown>[], rtspClient: 'builtin' | 'ffmpeg' = 'ffmpeg'): CaptureRegistry {
  registry = new CaptureRegistry({
    spawn: (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath,
    timing: { ...DEFAULT_TIMING, graceMs: GRACE_MS, restartDelayMs: 200, maxRestartDelayMs: 1_000, killAfterMs: 2_000 },
    log: (message) => log.push(message),
  });
  registry.setCameras(cameras.map((camera) => cameraSchema.parse({ name: 'RTSP', rtspClient, ...camera })));
  return registry;
}

/** Takes `count` frames from a viewer's slot, each within `timeoutMs`, or says why not. */
async function frames(subscription: Subscription, count: number, timeoutMs = 15_000): Promise<Buffer[]> {
  const taken: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const frame = await Promise.race([subscription.slot.next(), timeout]).finally(() => clearTimeout(timer));
    if (frame === 'timeout' || frame === null) {
      const state = JSON.stringify(registry?.snapshot(subscription.cameraId));
      throw new Error(`frame ${i + 1} of ${count}: ${frame ?? 'stream ended'}; camera ${state}; log ${log.join(' | ')}`);
    }
    taken.push(frame.jpeg);
  }
  return taken;
}

function expectJpegs(jpegs: Buffer[], size: { width: number; height: number }): void {
  for (const jpeg of jpegs) {
    expect(isCompleteJpeg(jpeg)).toBe(true);
    expect(jpegSize(jpeg)).toEqual(size);
    expect(jpeg.length).toBeGreaterThan(1_000);
  }
}

// The camera's connection read by ffmpeg or by camdash's own client; JPEGs by the transcoder either way.
describe.each(['ffmpeg', 'builtin'] as const)('an RTSP camera, read by %s, streamed through the registry as JPEGs by a real ffmpeg', (client) => {
  it('delivers complete JPEGs at the configured width over TCP', async () => {
    const viewer = startRegistry([{ id: 'tcp', source: open.url(), width: 480 }], client).subscribe('tcp')!;
    expectJpegs(await frames(viewer, 5), { width: 480, height: 270 });
    viewer.release();
  });

  // UDP is always ffmpeg's.
  it.runIf(client === 'ffmpeg')('delivers frames over UDP', async () => {
    const viewer = startRegistry([{ id: 'udp', source: open.url(), rtspTransport: 'udp' }]).subscribe('udp')!;
    expectJpegs(await frames(viewer, 5), { width: 640, height: 360 });
    viewer.release();
  });

  it('logs in to a password-protected camera with the credentials in its URL', async () => {
    const viewer = startRegistry([{ id: 'guarded', source: guarded.url('/cam', CREDENTIALS) }], client).subscribe('guarded')!;
    expectJpegs(await frames(viewer, 5), { width: 320, height: 240 });
    viewer.release();
  });

  it('reports wrong credentials as a 401, without the password', async () => {
    const wrong = { user: CREDENTIALS.user, password: 'not-the-Pa55word' };
    const reg = startRegistry([{ id: 'wrong', source: guarded.url('/cam', wrong) }], client);
    const viewer = reg.subscribe('wrong')!;
    const reason = await waitFor(() => reg.snapshot('wrong')?.reason, { timeoutMs: 15_000, message: 'the camera to fail' });
    expect(reason).toMatch(/401/);
    expect(JSON.stringify(reg.snapshot('wrong'))).not.toContain(wrong.password);
    viewer.release();
  });

  it('serves two viewers from one RTSP session (the reader, one ffmpeg transcoding), and stops both after they leave', async () => {
    // Earlier tests' ffmpegs tear their sessions down as they exit; the count must start clean.
    await waitFor(() => open.sessions() === 0, { timeoutMs: 5_000, message: 'earlier RTSP sessions to end' });
    const reg = startRegistry([{ id: 'shared', source: open.url(), fps: 5 }], client);
    const sessionsBefore = open.sessionsCreated();
    const first = reg.subscribe('shared')!;
    const second = reg.subscribe('shared')!;
    const [a, b] = await Promise.all([frames(first, 3), frames(second, 3)]);
    expectJpegs([...a, ...b], { width: 640, height: 360 });

    const pids = reg.runningPids();
    // camdash's own client is no process: the transcoder alone, then.
    expect(pids).toHaveLength(client === 'ffmpeg' ? 2 : 1);
    expect(open.sessions()).toBe(1);
    expect(open.sessionsCreated() - sessionsBefore).toBe(1);

    first.release();
    second.release();
    await waitFor(() => pids.every((pid) => !processAlive(pid)), { timeoutMs: GRACE_MS + 5_000, message: 'the ffmpegs to exit after the grace period' });
    expect(reg.runningPids()).toEqual([]);
    // Cameras allow only a few sessions: a stopped capture must not keep holding one.
    await waitFor(() => open.sessions() === 0, { timeoutMs: 5_000, message: 'the RTSP session to end' });
  });
});
