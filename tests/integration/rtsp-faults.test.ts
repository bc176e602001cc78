import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, type CaptureSnapshot, type CaptureTiming } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { CaptureRegistry, type Subscription } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { mjpegResponse } from '@/lib/http/mjpeg-response';
import { boundaryFromContentType, MultipartReader } from '@/lib/mjpeg/multipart-reader';
import { isCompleteJpeg } from '../helpers/multipart-client';
import { serveHandler } from '../helpers/route-server';
import { startRtspServer, type RtspServer, type RtspServerOptions } from '../helpers/rtsp-server';
import { startSilentCamera } from '../helpers/silent-camera';
import { processAlive, waitFor } from '../helpers/wait-for';

// Cameras fail; the dashboard must not. Real GStreamer RTSP servers, the real registry, the real
// ffmpeg and real HTTP viewers, with faults injected from outside as they happen in the field.

/** Short where a test is about timing, so that backoff and restarts fit in a test run. */
const FAST: Partial<CaptureTiming> = { restartDelayMs: 500, maxRestartDelayMs: 4_000, killAfterMs: 2_000, graceMs: 1_500 };
// The stall watchdog stays at its default for a real RTSP camera: ffmpeg needs ~3.5 s to probe
// this stream before its first frame, and the watchdog counts that wait too.

/** ffmpeg's probe (~3.5 s here) plus room for a busy 2-core machine running a browser beside us. */
const FIRST_FRAME_MS = 20_000;

const CREDENTIALS = { user: 'viewer', password: 'S3cret pass:/#' };

/** `camera`: the one ffmpeg connected to the camera; `transcoder`: the one making JPEGs from its video. */
type Child = { pid: number; role: 'camera' | 'transcoder'; spawnedAt: number; exitedAt?: number };

let ffmpegPath: string;
const cleanups: (() => unknown)[] = [];
const log: string[] = [];

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  ffmpegPath = ffmpeg.path;
});

afterEach(async () => {
  // Last in, first out: viewers, then HTTP servers, then registries (and their ffmpegs), then cameras.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  log.length = 0;
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rtspServer(options: RtspServerOptions = {}): Promise<RtspServer> {
  const server = await startRtspServer(options);
  cleanups.push(() => server.stop());
  return server;
}

/**
 * A registry with the real spawn, wrapped to keep a record of every ffmpeg it starts: a pile-up of
 * processes shows in that record even when the registry has already forgotten a child.
 */
function startRegistry(camera: Record<string, unknown>, timing: Partial<CaptureTiming> = {}) {
  const children: Child[] = [];
  let maxAlive = 0;
  const alive = (role?: Child['role']) => children.filter((child) => child.exitedAt === undefined && (!role || child.role === role));
  const spawned = (role: Child['role']) => children.filter((child) => child.role === role);
  const registry = new CaptureRegistry({
    spawn: (command, args) => {
      const process = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      if (process.pid !== undefined) {
        const child: Child = { pid: process.pid, role: args.includes('pipe:0') ? 'transcoder' : 'camera', spawnedAt: Date.now() };
        children.push(child);
        maxAlive = Math.max(maxAlive, alive('camera').length);
        process.once('exit', () => (child.exitedAt = Date.now()));
      }
      return process as CaptureProcess;
    },
    ffmpegPath,
    timing: { ...DEFAULT_TIMING, ...FAST, ...timing },
    log: (message) => log.push(`${new Date().toISOString().slice(11, 23)} ${message}`),
  });
  // These faults are the reader ffmpeg's (rtsp-client-faults.test.ts has camdash's own client's).
  registry.setCameras([cameraSchema.parse({ id: 'cam', name: 'Camera', rtspClient: 'ffmpeg', ...camera })]);
  cleanups.push(async () => {
    await registry.shutdown();
    // Shutdown resolves when the registry's children have exited; this also covers any it lost.
    await waitFor(() => alive().length === 0, { timeoutMs: 5_000, message: `every ffmpeg to exit: ${JSON.stringify(children)}` });
  });
  return {
    registry,
    children,
    alive,
    spawned,
    /** The most ffmpegs connected to the camera at once. */
    maxAlive: () => maxAlive,
    pidOf: (role: Child['role']) => registry.processes().find((process) => process.role === role)?.pid,
    snapshot: () => registry.snapshot('cam') as CaptureSnapshot,
  };
}

type Part = { receivedAt: number; capturedAt: number; jpeg: Uint8Array };

/** A browser tab's MJPEG stream: one HTTP response, read for as long as the test keeps it open. */
type Viewer = { parts: Part[]; ended(): boolean; close(): void };

/** Serves the registry's cameras as MJPEG over real HTTP, as the stream route does. */
async function serveCameras(registry: CaptureRegistry) {
  const subscriptions: Subscription[] = [];
  const http = await serveHandler(async (request) => {
    const subscription = registry.subscribe(/^\/api\/cameras\/([^/]+)\/stream$/.exec(new URL(request.url).pathname)?.[1] ?? '');
    if (!subscription) return new Response('unknown camera', { status: 404 });
    subscriptions.push(subscription);
    return mjpegResponse(subscription, request.signal);
  });
  cleanups.push(() => http.close());

  const open = async (): Promise<Viewer> => {
    const abort = new AbortController();
    const response = await fetch(`${http.url}/api/cameras/cam/stream`, { signal: abort.signal });
    const boundary = boundaryFromContentType(response.headers.get('content-type'));
    if (!response.ok || !boundary || !response.body) throw new Error(`not an MJPEG stream: ${response.status}`);
    const reader = response.body.getReader();
    const multipart = new MultipartReader(boundary);
    const parts: Part[] = [];
    let ended = false;
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const part of multipart.push(value)) {
            parts.push({ receivedAt: Date.now(), capturedAt: Number(part.headers['x-frame-timestamp']), jpeg: part.body });
          }
        }
      } catch {
        // An aborted read: the viewer closed the tab.
      }
      ended = true;
    })();
    const viewer = { parts, ended: () => ended, close: () => abort.abort() };
    cleanups.push(viewer.close);
    return viewer;
  };
  return { open, subscriptions };
}

/** Waits for a part captured after `since`, i.e. one that no buffer could have held before it. */
async function partAfter(viewer: Viewer, since: number, timeoutMs: number, why: string, describe: () => string): Promise<Part> {
  return waitFor(() => viewer.parts.find((part) => part.capturedAt > since), {
    timeoutMs,
    message: `${why}; ${describe()}`,
  });
}

async function partsAfter(viewer: Viewer, since: number, count: number, timeoutMs: number, describe: () => string) {
  await waitFor(() => viewer.parts.filter((part) => part.capturedAt > since).length >= count, {
    timeoutMs,
    message: `${count} frames captured after ${since}; ${describe()}`,
  });
  const fresh = viewer.parts.filter((part) => part.capturedAt > since);
  for (const part of fresh) expect(isCompleteJpeg(part.jpeg)).toBe(true);
  return fresh;
}

/** Takes the next frame from a viewer's slot, or says why there was none. */
async function nextFrame(subscription: Subscription, timeoutMs: number, describe: () => string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const frame = await Promise.race([subscription.slot.next(), timeout]).finally(() => clearTimeout(timer));
  if (frame === 'timeout' || frame === null) throw new Error(`no frame (${frame ?? 'stream ended'}); ${describe()}`);
  return frame;
}

/**
 * Watches for a fixed window, checking an invariant at every sample: how "nothing bad happens for
 * N seconds" is observed. Bounded in time and in the number of samples.
 */
async function observe(windowMs: number, check: (elapsedMs: number) => void, intervalMs = 100): Promise<void> {
  const started = Date.now();
  const maxSamples = Math.ceil(windowMs / intervalMs) + 1;
  for (let sample = 0; sample < maxSamples; sample += 1) {
    check(Date.now() - started);
    if (Date.now() - started >= windowMs) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, windowMs - (Date.now() - started))));
  }
  check(Date.now() - started);
}

const URL_LIKE = /[a-z][a-z0-9+.-]*:\/\/|127\.0\.0\.1/i;

function report(name: string, values: Record<string, unknown>): void {
  // Measured recovery times, for the test run's output.
  console.info(`[rtsp-faults] ${name}: ${JSON.stringify(values)}`);
}

describe('RTSP cameras fail, the dashboard does not', () => {
  it.each(['camera', 'transcoder'] as const)('restarts a SIGKILLed %s ffmpeg and the same HTTP viewer gets frames again', async (role) => {
    const server = await rtspServer();
    const cam = startRegistry({ source: server.url() });
    const http = await serveCameras(cam.registry);
    const viewer = await http.open();
    const state = () => `camera ${JSON.stringify(cam.snapshot())}; log ${log.join(' | ')}`;
    await partsAfter(viewer, 0, 3, FIRST_FRAME_MS, state);

    expect(cam.registry.processes().map((process) => process.role).sort()).toEqual(['camera', 'transcoder']);
    const oldPid = cam.pidOf(role)!;
    const untouched = cam.pidOf(role === 'camera' ? 'transcoder' : 'camera')!;
    const sessionsBefore = server.sessionsCreated();
    const killedAt = Date.now();
    process.kill(oldPid, 'SIGKILL');

    // Frames the decoder still held may come after the kill; the picture is back once frames come
    // from the new ffmpeg.
    await waitFor(() => (cam.pidOf(role) ?? oldPid) !== oldPid, { timeoutMs: FAST.restartDelayMs! + 5_000, message: `a new ${role} ffmpeg; ${state()}` });
    const restartedAt = Date.now();
    const first = await partAfter(viewer, restartedAt, FIRST_FRAME_MS, 'a frame after the restart', state);
    await partsAfter(viewer, restartedAt, 5, 10_000, state);
    report(`kill -9 of the ${role} over TCP`, { killToViewerFrameMs: first.receivedAt - killedAt });

    // The very response the viewer opened before the kill: no reload needed.
    expect(viewer.ended()).toBe(false);
    expect(http.subscriptions).toHaveLength(1);
    expect(http.subscriptions[0]!.slot.isClosed).toBe(false);
    const snapshot = cam.snapshot();
    expect(snapshot).toMatchObject({ state: 'live', viewers: 1, failure: undefined, reason: undefined });
    expect(snapshot.restarts).toBeGreaterThanOrEqual(1);
    const newPid = cam.pidOf(role);
    expect(newPid).toBeDefined();
    expect(newPid).not.toBe(oldPid);
    expect(processAlive(oldPid)).toBe(false);
    expect(cam.alive(role).map((child) => child.pid)).toEqual([newPid]);
    if (role === 'transcoder') {
      // The camera's connection went on as it was: no new session, the same ffmpeg.
      expect(cam.pidOf('camera')).toBe(untouched);
      expect(server.sessionsCreated()).toBe(sessionsBefore);
    }
    // The killed ffmpeg's connection closed with it. (Its RTSP session, never torn down, stays on the
    // server until the session timeout: a SIGKILL leaves no chance to send TEARDOWN.)
    await waitFor(() => server.clients() === 1, { timeoutMs: 5_000, message: `one RTSP connection; server ${server.output().join(' | ')}` });
  });

  it('rides out a 20 s camera outage: backoff, the viewer stays, frames resume by themselves', async () => {
    const OUTAGE_MS = 20_000;
    const first = await rtspServer(CREDENTIALS);
    const port = first.port;
    const cam = startRegistry({ source: first.url('/cam', CREDENTIALS) });
    const http = await serveCameras(cam.registry);
    const viewer = await http.open();
    const state = () => `camera ${JSON.stringify(cam.snapshot())}; log ${log.join(' | ')}`;
    await partsAfter(viewer, 0, 3, FIRST_FRAME_MS, state);

    const downAt = Date.now();
    await first.stop();
    const spawnedBefore = cam.spawned('camera').length;
    const seen: CaptureSnapshot[] = [];
    let maxRetryWaitMs = 0;
    await observe(OUTAGE_MS - (Date.now() - downAt), () => {
      const snapshot = cam.snapshot();
      seen.push(snapshot);
      if (snapshot.retryAt !== undefined) maxRetryWaitMs = Math.max(maxRetryWaitMs, snapshot.retryAt - Date.now());
      expect(viewer.ended(), 'the viewer lost its stream').toBe(false);
      expect(http.subscriptions[0]!.slot.isClosed, 'the viewer lost its slot').toBe(false);
      expect(snapshot.viewers).toBe(1);
      expect(cam.alive('camera').length, 'ffmpegs piling up').toBeLessThanOrEqual(1);
      expect(cam.alive('transcoder').length, 'transcoders piling up').toBeLessThanOrEqual(1);
    });

    const failures = seen.filter((snapshot) => snapshot.state === 'backoff');
    const kinds = [...new Set(failures.map((snapshot) => snapshot.failure))];
    const reasons = [...new Set(failures.map((snapshot) => snapshot.reason))];
    // The server going away ends the running ffmpeg's stream, which reads as the camera going away,
    // not as a video that ended; every retry then finds nobody listening.
    expect(kinds[0]).toBe('disconnected');
    expect(kinds).not.toContain('ended');
    expect(kinds).toContain('refused');
    expect(failures.at(-1)).toMatchObject({ failure: 'refused', reason: 'refused: Connection refused' });
    for (const reason of reasons) expect(reason).not.toMatch(URL_LIKE);
    for (const snapshot of seen) expect(JSON.stringify(snapshot)).not.toContain(CREDENTIALS.password);
    expect(JSON.stringify(seen)).not.toContain(encodeURIComponent(CREDENTIALS.password));
    // It keeps trying, but backs off: 0.5, 1, 2, 4, 4, 4, 4 s apart in 20 s, not every 0.5 s.
    const attempts = cam.spawned('camera').length - spawnedBefore;
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(attempts).toBeLessThanOrEqual(9);
    expect(maxRetryWaitMs).toBeLessThanOrEqual(FAST.maxRestartDelayMs!);

    const second = await rtspServer({ ...CREDENTIALS, port });
    const upAt = Date.now();
    const back = await partAfter(viewer, upAt, FAST.maxRestartDelayMs! + FIRST_FRAME_MS, 'a frame after the camera came back', state);
    await partsAfter(viewer, upAt, 5, 10_000, state);
    // The run that got through started at most one (maximal) backoff after the camera came back;
    // the rest of the wait is ffmpeg probing the stream.
    const winner = cam.spawned('camera').filter((child) => child.spawnedAt < back.capturedAt).at(-1)!;
    const upToRetryMs = winner.spawnedAt - upAt;
    report('20 s outage', { kinds, reasons, attempts, maxRetryWaitMs, upToRetryMs, upToViewerFrameMs: back.receivedAt - upAt });
    expect(upToRetryMs).toBeLessThanOrEqual(FAST.maxRestartDelayMs! + 1_000);

    expect(viewer.ended()).toBe(false);
    expect(http.subscriptions).toHaveLength(1);
    expect(cam.snapshot()).toMatchObject({ state: 'live', failure: undefined, reason: undefined, viewers: 1 });
    expect(second.sessions()).toBe(1);
  });

  it('restarts a camera that accepts the connection and then says nothing, one ffmpeg at a time', async () => {
    const STALL_MS = 3_000;
    const silent = await startSilentCamera();
    cleanups.push(() => silent.close());
    const cam = startRegistry({ source: `rtsp://127.0.0.1:${silent.port}/cam` }, { stallMs: STALL_MS });
    const viewer = cam.registry.subscribe('cam')!;
    cleanups.push(viewer.release);
    const state = () => `camera ${JSON.stringify(cam.snapshot())}; children ${JSON.stringify(cam.children)}; log ${log.join(' | ')}`;

    const timedOut: CaptureSnapshot[] = [];
    // Three runs: stall 3 s + 0.5 s backoff + stall 3 s + 1 s backoff + a third start.
    await waitFor(
      () => {
        const snapshot = cam.snapshot();
        if (snapshot.failure === 'timed out') timedOut.push(snapshot);
        expect(cam.alive().length, `ffmpegs piling up: ${state()}`).toBeLessThanOrEqual(1);
        // No stream ever came, so no transcoder was started.
        expect(cam.spawned('transcoder')).toHaveLength(0);
        expect(cam.registry.runningPids().length).toBeLessThanOrEqual(1);
        expect(silent.open(), `connections piling up at the camera ${state()}`).toBeLessThanOrEqual(1);
        return cam.children.length >= 3 && snapshot.restarts >= 2;
      },
      { timeoutMs: 3 * STALL_MS + 1_500 + 8_000, intervalMs: 50, message: `three watchdog runs; ${state()}` },
    );

    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut[0]).toMatchObject({ state: 'backoff', failure: 'timed out', reason: 'timed out: no frame for 3 s' });
    expect(cam.maxAlive()).toBe(1);
    expect(silent.maxOpen()).toBe(1);
    // The newest ffmpeg may still be on its way to connect.
    await waitFor(() => silent.connections() === cam.children.length, { timeoutMs: 2_000, message: `one connection per ffmpeg; ${state()}` });
    const [latest, ...older] = [...cam.children].reverse();
    for (const child of older) expect(processAlive(child.pid), `ffmpeg ${child.pid} left behind`).toBe(false);
    expect(cam.registry.runningPids()).toEqual([latest!.pid]);
    expect(viewer.slot.isClosed).toBe(false);

    const intervals = cam.children.slice(1).map((child, i) => child.spawnedAt - cam.children[i]!.spawnedAt);
    const exitLag = older.map((child) => child.exitedAt! - child.spawnedAt);
    report('silent camera', { restartIntervalsMs: intervals, runMsUntilExit: exitLag, connections: silent.connections() });
    // Each run lasts the stall time, then waits its backoff: 3 s + 0.5 s, then 3 s + 1 s.
    expect(intervals[0]).toBeGreaterThanOrEqual(STALL_MS + 500);
    expect(intervals[0]).toBeLessThan(STALL_MS + 500 + 2_000);
    expect(intervals[1]).toBeGreaterThanOrEqual(STALL_MS + 1_000);
  });

  it('tries a wrong password once, says so at once, and does not retry for a minute', async () => {
    const server = await rtspServer(CREDENTIALS);
    const wrong = { user: CREDENTIALS.user, password: 'n0t-The-Passw0rd' };
    const cam = startRegistry({ source: server.url('/cam', wrong) }, { authRetryDelayMs: DEFAULT_TIMING.authRetryDelayMs });
    const connected = () => server.output().filter((line) => line.startsWith('CLIENT connected')).length;
    const subscribedAt = Date.now();
    const viewer = cam.registry.subscribe('cam')!;
    cleanups.push(viewer.release);

    const failed = await waitFor(() => (cam.snapshot().failure ? cam.snapshot() : undefined), {
      timeoutMs: 10_000,
      message: `the camera to fail; log ${log.join(' | ')}`,
    });
    const failedAfterMs = Date.now() - subscribedAt;
    expect(failed).toMatchObject({ state: 'backoff', failure: 'authentication failed' });
    expect(failed.reason).toMatch(/^authentication failed: .*401/);
    expect(failed.reason).not.toMatch(URL_LIKE);
    expect(JSON.stringify(failed)).not.toContain(wrong.password);
    // The retry is a minute away: a wrong password does not lock the account by hammering the camera.
    expect(failed.retryAt! - Date.now()).toBeGreaterThan(DEFAULT_TIMING.authRetryDelayMs - 5_000);

    await observe(10_000 - (Date.now() - subscribedAt), () => {
      expect(cam.children.length, 'a second login attempt').toBe(1);
      expect(cam.snapshot().failure).toBe('authentication failed');
      expect(viewer.slot.isClosed).toBe(false);
    });
    report('wrong password', { failedAfterMs, spawns: cam.children.length, connections: connected() });
    expect(cam.children).toHaveLength(1);
    expect(connected()).toBe(1);
    expect(server.sessionsCreated()).toBe(0);
  });

  it('serves 10 HTTP viewers from one RTSP session (one ffmpeg on the camera, one transcoding), and frees all after they leave', async () => {
    const GRACE_MS = 1_500;
    const server = await rtspServer();
    const cam = startRegistry({ source: server.url() }, { graceMs: GRACE_MS });
    const http = await serveCameras(cam.registry);
    const state = () => `camera ${JSON.stringify(cam.snapshot())}; sessions ${server.sessions()}; log ${log.join(' | ')}`;

    const viewers = await Promise.all(Array.from({ length: 10 }, () => http.open()));
    await Promise.all(viewers.map((viewer) => partsAfter(viewer, 0, 2, FIRST_FRAME_MS, state)));
    expect(cam.snapshot().viewers).toBe(10);
    expect(cam.registry.runningPids()).toHaveLength(2);
    expect(cam.children.map((child) => child.role).sort()).toEqual(['camera', 'transcoder']);
    expect(server.sessions()).toBe(1);
    expect(server.sessionsCreated()).toBe(1);
    expect(server.clients()).toBe(1);
    const pid = cam.pidOf('camera')!;
    const pids = cam.registry.runningPids();

    const leftAt = Date.now();
    for (const viewer of viewers) viewer.close();
    await waitFor(() => cam.snapshot().viewers === 0, { timeoutMs: 1_000, message: `the viewers to be released; ${state()}` });
    // Within the grace a reload finds the camera still running.
    expect(processAlive(pid), `ffmpeg gone ${Date.now() - leftAt} ms after the viewers left`).toBe(true);

    await waitFor(() => pids.every((each) => !processAlive(each)), { timeoutMs: GRACE_MS + 5_000, message: `the ffmpegs to exit after the grace; ${state()}` });
    const stoppedAfterMs = Date.now() - leftAt;
    expect(stoppedAfterMs).toBeGreaterThanOrEqual(GRACE_MS);
    expect(cam.registry.runningPids()).toEqual([]);
    await waitFor(() => server.sessions() === 0 && server.clients() === 0, { timeoutMs: 5_000, message: `the RTSP session to end; ${state()}` });
    expect(server.sessionsCreated()).toBe(1);
    report('10 viewers', { stoppedAfterMs });
  });

  it('restarts a SIGKILLed ffmpeg over UDP too', async () => {
    const server = await rtspServer();
    const cam = startRegistry({ source: server.url(), rtspTransport: 'udp' });
    const viewer = cam.registry.subscribe('cam')!;
    cleanups.push(viewer.release);
    const state = () => `camera ${JSON.stringify(cam.snapshot())}; log ${log.join(' | ')}`;
    await nextFrame(viewer, FIRST_FRAME_MS, state);

    const oldPid = cam.pidOf('camera')!;
    const killedAt = Date.now();
    process.kill(oldPid, 'SIGKILL');
    // Frames the decoder still held may come after the kill; the picture is back once frames come
    // from the camera's new connection.
    await waitFor(() => (cam.pidOf('camera') ?? oldPid) !== oldPid, { timeoutMs: FAST.restartDelayMs! + 5_000, message: `a new camera ffmpeg; ${state()}` });
    const restartedAt = Date.now();
    let frame = await nextFrame(viewer, FIRST_FRAME_MS, state);
    for (let i = 0; i < 30 && frame.capturedAt <= restartedAt; i += 1) frame = await nextFrame(viewer, FIRST_FRAME_MS, state);
    expect(frame.capturedAt).toBeGreaterThan(restartedAt);
    report('kill -9 over UDP', { killToFrameMs: Date.now() - killedAt });

    expect(cam.snapshot().restarts).toBeGreaterThanOrEqual(1);
    expect(cam.registry.runningPids()).not.toContain(oldPid);
    expect(cam.registry.runningPids()).toHaveLength(2);
    expect(processAlive(oldPid)).toBe(false);
  });
});
