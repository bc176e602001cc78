import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, type CaptureTiming } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { CaptureRegistry, type VideoSubscription } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { Fmp4Reader } from '@/lib/fmp4/fmp4-reader';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import type { LiveItem } from '@/lib/live/live-feed';
import { decodedFrames } from '../helpers/decode-fmp4';
import { startRtspServer, type RtspServer, type RtspServerOptions } from '../helpers/rtsp-server';
import { startSilentCamera } from '../helpers/silent-camera';
import { waitFor } from '../helpers/wait-for';

// camdash's own RTSP client against a real GStreamer RTSP camera: no ffmpeg on the camera's
// connection, and the faults of the field (a camera going away, one that says nothing, a wrong
// password, a codec the client does not read) handled as the ffmpeg reader's are.

const FAST: Partial<CaptureTiming> = { restartDelayMs: 500, maxRestartDelayMs: 2_000, killAfterMs: 2_000, graceMs: 1_000 };
const FIRST_FRAME_MS = 20_000;
const CREDENTIALS = { user: 'viewer', password: 'S3cret pass:/#' };
const URL_LIKE = /[a-z][a-z0-9+.-]*:\/\/|127\.0\.0\.1/i;

let ffmpegPath: string;
const cleanups: (() => unknown)[] = [];
const log: string[] = [];

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  ffmpegPath = ffmpeg.path;
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  log.length = 0;
});

async function rtspServer(options: RtspServerOptions = {}): Promise<RtspServer> {
  const server = await startRtspServer(options);
  cleanups.push(() => server.stop());
  return server;
}

/** A registry with the real spawn, counting the ffmpegs it starts (there should be none on an H.264 camera). */
function startRegistry(camera: Record<string, unknown>, timing: Partial<CaptureTiming> = {}) {
  const spawned: string[][] = [];
  const registry = new CaptureRegistry({
    spawn: (command, args) => {
      spawned.push([...args]);
      return spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as CaptureProcess;
    },
    ffmpegPath,
    timing: { ...DEFAULT_TIMING, ...FAST, ...timing },
    log: (message) => log.push(`${new Date().toISOString().slice(11, 23)} ${message}`),
  });
  registry.setCameras([cameraSchema.parse({ id: 'cam', name: 'Camera', ...camera })]);
  cleanups.push(() => registry.shutdown());
  const state = () => `camera ${JSON.stringify(registry.snapshot('cam'))}; log ${log.join(' | ')}`;
  return { registry, spawned, state, snapshot: () => registry.snapshot('cam')! };
}

/** A video viewer: every item its feed delivers, read as they come. */
function watchVideo(registry: CaptureRegistry) {
  const subscription = registry.subscribeVideo('cam') as VideoSubscription;
  const items: { item: LiveItem; at: number }[] = [];
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const item = await subscription.feed.next();
      if (item === null) break;
      items.push({ item, at: Date.now() });
    }
  })();
  const stop = () => {
    stopped = true;
    subscription.release();
  };
  cleanups.push(stop);
  const fragmentsAfter = (since: number) => items.filter(({ item, at }) => item.kind === 'fragment' && at > since);
  return { items, stop, fragmentsAfter };
}

describe("camdash's own RTSP client", () => {
  it('logs in (Basic), plays the H.264 with no ffmpeg on the camera, one session, torn down when the last viewer leaves', async () => {
    const server = await rtspServer({ ...CREDENTIALS, width: 640, height: 360, fps: 15 });
    const cam = startRegistry({ source: server.url('/cam', CREDENTIALS) });
    const viewer = watchVideo(cam.registry);
    await waitFor(() => viewer.fragmentsAfter(0).length >= 30, { timeoutMs: FIRST_FRAME_MS, message: `30 frames; ${cam.state()}` });

    const [first, ...rest] = viewer.items.map(({ item }) => item);
    expect(first?.kind).toBe('init');
    const init = first?.kind === 'init' ? first.init : undefined;
    expect(init).toMatchObject({ width: 640, height: 360 });
    expect(init?.codec).toMatch(/^avc1\.42/);
    const fragments = rest.flatMap((item) => (item.kind === 'fragment' ? [item.fragment] : []));
    expect(fragments[0]?.keyframe).toBe(true);
    // The camera's clock, 90 kHz at 15 fps: 6000 ticks a frame, increasing.
    const steps = fragments.slice(1).map((fragment, i) => fragment.decodeTime - fragments[i]!.decodeTime);
    for (const step of steps) expect(step).toBe(6000);
    // Real ffmpeg decodes every frame of what a browser would be sent.
    const mp4 = Buffer.concat([init!.bytes, ...fragments.map((fragment) => fragment.bytes)]);
    expect(new Fmp4Reader().push(mp4).filter((event) => event.kind === 'fragment')).toHaveLength(fragments.length);
    expect(await decodedFrames(ffmpegPath, mp4)).toBe(fragments.length);

    expect(cam.spawned, 'an ffmpeg was started for an H.264 camera').toEqual([]);
    expect(cam.snapshot().video).toMatchObject({ state: 'live', readBy: 'camdash', codec: init!.codec, width: 640, height: 360 });
    expect(server.sessions()).toBe(1);
    expect(server.clients()).toBe(1);
    expect(JSON.stringify(cam.snapshot())).not.toContain(CREDENTIALS.password);
    expect(log.join('\n')).not.toContain(CREDENTIALS.password);

    const leftAt = Date.now();
    viewer.stop();
    // TEARDOWN after the grace, not the server's session timeout a minute later.
    await waitFor(() => server.sessions() === 0 && server.clients() === 0, { timeoutMs: FAST.graceMs! + 5_000, message: `the session torn down; ${server.output().join(' | ')}` });
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(FAST.graceMs!);
    expect(server.sessionsCreated()).toBe(1);
  });

  it('logs in to a camera that takes Digest only, and is refused with the wrong password', async () => {
    const server = await rtspServer({ ...CREDENTIALS, auth: 'digest', fps: 15 });
    const cam = startRegistry({ source: server.url('/cam', CREDENTIALS) });
    const viewer = watchVideo(cam.registry);
    await waitFor(() => viewer.fragmentsAfter(0).length >= 5, { timeoutMs: FIRST_FRAME_MS, message: `5 frames; ${cam.state()}` });
    expect(server.sessions()).toBe(1);

    const wrong = startRegistry({ source: server.url('/cam', { user: CREDENTIALS.user, password: 'n0t-The-Passw0rd' }) }, { authRetryDelayMs: DEFAULT_TIMING.authRetryDelayMs });
    watchVideo(wrong.registry);
    const failed = await waitFor(() => (wrong.snapshot().failure ? wrong.snapshot() : undefined), { timeoutMs: 10_000, message: `a failure; ${wrong.state()}` });
    expect(failed).toMatchObject({ state: 'backoff', failure: 'authentication failed' });
    expect(failed.reason).toMatch(/401/);
    expect(server.sessionsCreated()).toBe(1);
  });

  it('rides out the camera going away: disconnected, then refused with backoff, and the same viewer gets a new init and frames when it is back', async () => {
    const first = await rtspServer({ ...CREDENTIALS, fps: 15 });
    const port = first.port;
    const cam = startRegistry({ source: first.url('/cam', CREDENTIALS) });
    const viewer = watchVideo(cam.registry);
    await waitFor(() => viewer.fragmentsAfter(0).length >= 5, { timeoutMs: FIRST_FRAME_MS, message: `5 frames; ${cam.state()}` });

    await first.stop();
    const failures = new Set<string>();
    await waitFor(
      () => {
        const { failure, reason } = cam.snapshot();
        if (failure) failures.add(`${failure}|${reason}`);
        return failure === 'refused';
      },
      { timeoutMs: 10_000, intervalMs: 20, message: `refused; ${cam.state()}` },
    );
    const kinds = [...failures].map((entry) => entry.split('|')[0]);
    expect(kinds[0]).toBe('disconnected');
    expect(kinds).toContain('refused');
    for (const entry of failures) expect(entry).not.toMatch(URL_LIKE);
    expect(cam.snapshot().reason).toBe('refused: Connection refused');

    const endedAt = viewer.items.findIndex(({ item }) => item.kind === 'ended');
    expect(endedAt).toBeGreaterThan(0);
    const second = await rtspServer({ ...CREDENTIALS, fps: 15, port });
    const upAt = Date.now();
    await waitFor(() => viewer.fragmentsAfter(upAt).length >= 5, { timeoutMs: FAST.maxRestartDelayMs! + FIRST_FRAME_MS, message: `frames after the camera came back; ${cam.state()}` });
    const after = viewer.items.slice(endedAt).map(({ item }) => item.kind);
    expect(after[0]).toBe('ended');
    expect(after.indexOf('init')).toBeGreaterThan(0);
    expect(cam.snapshot()).toMatchObject({ state: 'live', failure: undefined, viewers: 1 });
    expect(second.sessions()).toBe(1);
    expect(cam.spawned).toEqual([]);
  });

  it('restarts on a camera that accepts the connection and then says nothing, one connection at a time', async () => {
    const STALL_MS = 2_000;
    const silent = await startSilentCamera();
    cleanups.push(() => silent.close());
    const cam = startRegistry({ source: `rtsp://127.0.0.1:${silent.port}/cam` }, { stallMs: STALL_MS });
    watchVideo(cam.registry);

    await waitFor(
      () => {
        expect(silent.open(), `connections piling up; ${cam.state()}`).toBeLessThanOrEqual(1);
        return silent.connections() >= 3 && cam.snapshot().restarts >= 2;
      },
      { timeoutMs: 3 * STALL_MS + 1_500 + 8_000, intervalMs: 20, message: `three runs; ${cam.state()}` },
    );
    expect(cam.snapshot().reason ?? log.join(' ')).toMatch(/timed out/);
    expect(silent.maxOpen()).toBe(1);
    expect(cam.spawned).toEqual([]);
  });

  it('tries a wrong password once, says so without the password, and waits a minute before trying again', async () => {
    const server = await rtspServer(CREDENTIALS);
    const wrong = { user: CREDENTIALS.user, password: 'n0t-The-Passw0rd' };
    const cam = startRegistry({ source: server.url('/cam', wrong) }, { authRetryDelayMs: DEFAULT_TIMING.authRetryDelayMs });
    watchVideo(cam.registry);
    const failed = await waitFor(() => (cam.snapshot().failure ? cam.snapshot() : undefined), { timeoutMs: 10_000, message: `a failure; ${cam.state()}` });
    expect(failed).toMatchObject({ state: 'backoff', failure: 'authentication failed' });
    expect(failed.reason).toMatch(/^authentication failed: .*401/);
    expect(failed.reason).not.toMatch(URL_LIKE);
    expect(JSON.stringify(failed)).not.toContain(wrong.password);
    expect(log.join('\n')).not.toContain(wrong.password);
    expect(failed.retryAt! - Date.now()).toBeGreaterThan(DEFAULT_TIMING.authRetryDelayMs - 5_000);
    expect(server.output().filter((line) => line.startsWith('CLIENT connected'))).toHaveLength(1);
    expect(server.sessionsCreated()).toBe(0);
  });

  it('hands an H.265 camera to ffmpeg, which copies it; the status says who reads it', async () => {
    const server = await rtspServer({ codec: 'h265', fps: 10 });
    const cam = startRegistry({ source: server.url() });
    const viewer = watchVideo(cam.registry);
    await waitFor(() => viewer.fragmentsAfter(0).length >= 3, { timeoutMs: FIRST_FRAME_MS, message: `3 frames; ${cam.state()}` });
    const init = viewer.items.find(({ item }) => item.kind === 'init')?.item;
    expect(init?.kind === 'init' && init.init.codec).toMatch(/^(hvc1|hev1)\./);
    expect(cam.spawned).toHaveLength(1);
    expect(cam.snapshot().video?.readBy).toBe('ffmpeg');
    expect(cam.registry.processes().filter((process) => process.role === 'camera')).toHaveLength(1);
    // One session: the built-in client's DESCRIBE set nothing up.
    expect(server.sessionsCreated()).toBe(1);
  });
});
