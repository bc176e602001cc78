import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { fakeSpawner } from '../../helpers/fake-ffmpeg';
import { JPEG_A, JPEG_B } from '../../helpers/jpeg-fixtures';

// The stall watchdog is off (an hour) except where a test is about it.
const timing = {
  ...DEFAULT_TIMING,
  graceMs: 5_000,
  restartDelayMs: 1_000,
  maxRestartDelayMs: 8_000,
  killAfterMs: 3_000,
  stallMs: 3_600_000,
  authRetryDelayMs: 60_000,
};
const cameras = [
  cameraSchema.parse({ id: 'door', name: 'Door', source: 'http://admin:hunter2@10.0.0.2/live' }),
  cameraSchema.parse({ id: 'yard', name: 'Yard', source: 'test' }),
  cameraSchema.parse({ id: 'off', name: 'Off', source: 'test', enabled: false }),
];

function setup(options: { ignoresSigterm?: boolean; stallMs?: number } = {}) {
  const fake = fakeSpawner(options);
  const registry = new CaptureRegistry({
    spawn: fake.spawn,
    ffmpegPath: '/usr/bin/ffmpeg',
    timing: { ...timing, stallMs: options.stallMs ?? timing.stallMs },
    log: () => {},
  });
  registry.setCameras(cameras);
  return { registry, children: fake.children };
}

/** Lets stream 'data' events and promise callbacks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('capture registry', () => {
  it('runs one ffmpeg per camera however many viewers, started by the first', async () => {
    const { registry, children } = setup();
    expect(children).toHaveLength(0);
    const viewers = Array.from({ length: 5 }, () => registry.subscribe('door')!);
    expect(children).toHaveLength(1);
    expect(children[0]!.args).toContain('http://admin:hunter2@10.0.0.2/live');

    children[0]!.frame(JPEG_A);
    await settle();
    for (const viewer of viewers) expect((await viewer.slot.next())?.jpeg).toEqual(JPEG_A);
    expect(registry.snapshot('door')).toMatchObject({ state: 'live', viewers: 5, framesIn: 1 });
  });

  it('knows nothing of unknown or disabled cameras', () => {
    const { registry, children } = setup();
    expect(registry.subscribe('nope')).toBeUndefined();
    expect(registry.subscribe('off')).toBeUndefined();
    expect(children).toHaveLength(0);
  });

  it('gives a new viewer of a running camera the latest frame at once', async () => {
    const { registry, children } = setup();
    registry.subscribe('yard');
    children[0]!.frame(JPEG_A);
    children[0]!.frame(JPEG_B);
    await settle();
    const late = registry.subscribe('yard')!;
    let first: Buffer | undefined;
    void late.slot.next().then((frame) => (first = frame?.jpeg));
    await settle(); // no new frame arrives meanwhile: only one already held can satisfy it
    expect(first).toEqual(JPEG_B);
  });

  it('stops ffmpeg a grace period after the last viewer leaves, and not if one comes back', async () => {
    const { registry, children } = setup();
    const first = registry.subscribe('door')!;
    first.release();
    first.release(); // releasing twice is harmless
    await vi.advanceTimersByTimeAsync(timing.graceMs - 100);
    const returning = registry.subscribe('door')!;
    await vi.advanceTimersByTimeAsync(timing.graceMs * 2);
    expect(children[0]!.signals).toEqual([]);

    returning.release();
    await vi.advanceTimersByTimeAsync(timing.graceMs - 1);
    expect(children[0]!.signals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(children[0]!.signals).toEqual(['SIGTERM']);
    expect(children[0]!.exited).toBe(true);
    expect(registry.snapshot('door')?.state).toBe('idle');
    expect(registry.runningPids()).toEqual([]);
    expect(children).toHaveLength(1);
  });

  it('kills an ffmpeg that ignores SIGTERM', async () => {
    const { registry, children } = setup({ ignoresSigterm: true });
    registry.subscribe('door')!.release();
    await vi.advanceTimersByTimeAsync(timing.graceMs);
    expect(children[0]!.exited).toBe(false);
    await vi.advanceTimersByTimeAsync(timing.killAfterMs);
    expect(children[0]!.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(children[0]!.exited).toBe(true);
  });

  it('gives a slow viewer the newest frame instead of a backlog, without holding back the others', async () => {
    const { registry, children } = setup();
    const fast = registry.subscribe('yard')!;
    const slow = registry.subscribe('yard')!;
    const received: Buffer[] = [];
    for (let index = 0; index < 6; index += 1) {
      children[0]!.frame(index % 2 ? JPEG_B : JPEG_A);
      await settle();
      received.push((await fast.slot.next())!.jpeg);
    }
    expect(received).toHaveLength(6);
    const newest = await slow.slot.next();
    expect(newest?.seq).toBe(6);
    expect(slow.slot.dropped).toBe(5);
    expect(fast.slot.dropped).toBe(0);
  });

  it('restarts a failed ffmpeg with growing delays while somebody watches, with a redacted reason', async () => {
    const { registry, children } = setup();
    registry.subscribe('door');
    children[0]!.stderr.write('http://admin:hunter2@10.0.0.2/live: Connection refused\n');
    await settle();
    children[0]!.exit(1);
    await settle();
    const snapshot = registry.snapshot('door')!;
    expect(snapshot.state).toBe('backoff');
    expect(snapshot).toMatchObject({ failure: 'refused', reason: 'refused: Connection refused' });
    expect(snapshot.stderrTail).toEqual(['http://admin:***@10.0.0.2/live: Connection refused']);
    expect(JSON.stringify(snapshot)).not.toContain('hunter2');

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const before = Date.now();
      await vi.advanceTimersToNextTimerAsync();
      delays.push(Date.now() - before);
      expect(children).toHaveLength(attempt + 1);
      children[attempt]!.exit(1);
      await settle();
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(registry.snapshot('door')?.restarts).toBe(5);
  });

  it('retries a wrong password rarely: it is a configuration problem', async () => {
    const { registry, children } = setup();
    registry.subscribe('door');
    children[0]!.stderr.write('[rtsp @ 0x55d] method DESCRIBE failed: 401 Unauthorized\n');
    await settle();
    children[0]!.exit(1);
    await settle();
    expect(registry.snapshot('door')).toMatchObject({ state: 'backoff', failure: 'authentication failed' });
    await vi.advanceTimersByTimeAsync(timing.authRetryDelayMs - 1);
    expect(children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(children).toHaveLength(2);
  });

  it('restarts a camera that sends no frame for the stall period, and stops the hung ffmpeg', async () => {
    const { registry, children } = setup({ stallMs: 10_000 });
    const viewer = registry.subscribe('door')!;
    children[0]!.frame(JPEG_A);
    await settle();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(children[0]!.signals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(children[0]!.signals).toEqual(['SIGTERM']);
    expect(registry.snapshot('door')).toMatchObject({ state: 'backoff', failure: 'timed out', reason: 'timed out: no frame for 10 s' });

    await vi.advanceTimersByTimeAsync(timing.restartDelayMs);
    expect(children).toHaveLength(2);
    children[1]!.frame(JPEG_B);
    await settle();
    expect(registry.snapshot('door')).toMatchObject({ state: 'live', restarts: 1 });
    // The same viewer, still connected, gets the new run's frame (the newest one it has not taken).
    expect((await viewer.slot.next())?.jpeg).toEqual(JPEG_B);
  });

  it('does not restart a camera nobody watches any more', async () => {
    const { registry, children } = setup();
    registry.subscribe('door')!.release();
    children[0]!.exit(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(children).toHaveLength(1);
    expect(registry.snapshot('door')?.state).toBe('idle');
  });

  it('never lets the late exit of a stopped ffmpeg disturb the one that replaced it', async () => {
    const { registry, children } = setup({ ignoresSigterm: true });
    registry.subscribe('door')!.release();
    await vi.advanceTimersByTimeAsync(timing.graceMs); // old ffmpeg told to stop, still running
    const viewer = registry.subscribe('door')!;
    expect(children).toHaveLength(2);
    children[1]!.frame(JPEG_A);
    await settle();
    children[0]!.exit(255); // the old one finally exits, as if it had failed
    await vi.advanceTimersByTimeAsync(60_000);
    expect(children).toHaveLength(2);
    expect(children[1]!.signals).toEqual([]);
    expect(registry.snapshot('door')).toMatchObject({ state: 'live', restarts: 0, reason: undefined });
    expect((await viewer.slot.next())?.jpeg).toEqual(JPEG_A);
  });

  it('shuts down: every stream ends and every ffmpeg is stopped', async () => {
    const { registry, children } = setup();
    const door = registry.subscribe('door')!;
    const yard = registry.subscribe('yard')!;
    await registry.shutdown();
    expect(children.map((child) => child.exited)).toEqual([true, true]);
    expect(await door.slot.next()).toBeNull();
    expect(await yard.slot.next()).toBeNull();
    expect(registry.runningPids()).toEqual([]);
    // A grid connection renewing its holds as their streams end must not start a camera again.
    expect(registry.subscribe('door', 'grid')).toBeUndefined();
    expect(children).toHaveLength(2);
  });

  it('on new cameras, keeps unchanged ones streaming and stops removed and changed ones', async () => {
    const { registry, children } = setup();
    const door = registry.subscribe('door')!;
    const yard = registry.subscribe('yard')!;
    registry.setCameras([cameras[0]!, cameraSchema.parse({ id: 'yard', name: 'Yard', source: 'test', fps: 5 })]);
    await settle();
    expect(children[0]!.signals).toEqual([]);
    expect(children[1]!.signals).toEqual(['SIGTERM']);
    expect(await yard.slot.next()).toBeNull(); // its stream ends; the viewer reconnects to the new one
    children[0]!.frame(JPEG_A);
    await settle();
    expect((await door.slot.next())?.jpeg).toEqual(JPEG_A);

    registry.setCameras([]);
    await settle();
    expect(children[0]!.signals).toEqual(['SIGTERM']);
    expect(await door.slot.next()).toBeNull();
    expect(registry.subscribe('door')).toBeUndefined();
  });

  it('serves the grid from the substream and the camera page from the main stream', async () => {
    const { registry, children } = setup();
    registry.setCameras([cameraSchema.parse({ id: 'gate', name: 'Gate', source: 'http://cam/main', substream: 'http://cam/sub' })]);
    const tile = registry.subscribe('gate', 'grid')!;
    expect(children.map((child) => child.args.includes('http://cam/sub'))).toEqual([true]);
    const page = registry.subscribe('gate', 'main')!;
    expect(children.map((child) => child.args.includes('http://cam/main'))).toEqual([false, true]);
    expect(registry.snapshot('gate')?.viewers).toBe(2);
    children[0]!.frame(JPEG_A);
    children[1]!.frame(JPEG_B);
    await settle();
    expect((await tile.slot.next())?.jpeg).toEqual(JPEG_A);
    expect((await page.slot.next())?.jpeg).toEqual(JPEG_B);
    expect((await registry.subscribe('yard', 'grid'))).toBeUndefined(); // cameras were replaced
  });

  it('reports a missing ffmpeg as the reason, without spawning', () => {
    const fake = fakeSpawner();
    const registry = new CaptureRegistry({
      spawn: fake.spawn,
      ffmpegPath: undefined,
      missingFfmpegReason: 'ffmpeg not found on the server',
      timing,
      log: () => {},
    });
    registry.setCameras(cameras);
    registry.subscribe('yard');
    expect(fake.children).toHaveLength(0);
    expect(registry.snapshot('yard')).toMatchObject({ state: 'backoff', reason: 'ffmpeg not found on the server' });
  });
});
