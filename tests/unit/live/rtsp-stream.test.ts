import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { Fmp4Reader } from '@/lib/fmp4/fmp4-reader';
import { fakeSpawner, type FakeFfmpeg } from '../../helpers/fake-ffmpeg';
import { JPEG_A } from '../../helpers/jpeg-fixtures';
import { baselineFixture, ffmpegPath, GOP } from '../fmp4/ffmpeg-fixtures';
import { DECODER_STALL_MS } from '@/lib/mjpeg/transcoder-process';

// An RTSP camera has one connection whatever consumes it: one ffmpeg copying its video, from which
// the MJPEG transcoder and the browsers' players are fed. Real fragmented MP4 (made by ffmpeg),
// fake processes, fake time.
const timing = { ...DEFAULT_TIMING, graceMs: 5_000, restartDelayMs: 1_000, stallMs: 10_000 };
const URL = 'rtsp://admin:hunter2@10.0.0.2/live';

let init: Uint8Array;
let fragments: Uint8Array[];

beforeAll(async () => {
  const { mp4 } = await baselineFixture(await ffmpegPath());
  const events = new Fmp4Reader().push(mp4);
  init = events.flatMap((event) => (event.kind === 'init' ? [event.init.bytes] : []))[0]!;
  fragments = events.flatMap((event) => (event.kind === 'fragment' ? [event.fragment.bytes] : []));
});

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  vi.useFakeTimers();
  const fake = fakeSpawner();
  const registry = new CaptureRegistry({ spawn: fake.spawn, ffmpegPath: '/usr/bin/ffmpeg', timing, log: () => {} });
  // The reader here is an ffmpeg (faked): camdash's own client has no process to stand in for.
  registry.setCameras([cameraSchema.parse({ id: 'door', name: 'Door', source: URL, rtspClient: 'ffmpeg', width: 1920, fps: 15 })]);
  const readers = () => fake.children.filter((child) => child.args.includes(URL));
  const transcoders = () => fake.children.filter((child) => child.args.includes('pipe:0'));
  return { registry, children: fake.children, readers, transcoders };
}

const settle = () => vi.advanceTimersByTimeAsync(0);
const bytesWritten = (child: FakeFfmpeg) => Buffer.concat(child.written);

describe('an RTSP camera', () => {
  it('is read by one ffmpeg copying its video, whoever watches', async () => {
    const { registry, readers, transcoders } = setup();
    const page = registry.subscribe('door', 'main')!;
    const tile = registry.subscribe('door', 'grid')!;
    const players = [registry.subscribeVideo('door')!, registry.subscribeVideo('door', 'grid')!];
    expect(readers()).toHaveLength(1);
    expect(readers()[0]!.args).toEqual(expect.arrayContaining(['-c:v', 'copy', '-f', 'mp4']));
    // Nothing to decode yet: the transcoder's ffmpeg waits for the camera's first stream.
    expect(transcoders()).toHaveLength(0);

    readers()[0]!.stdout.write(Buffer.concat([init, ...fragments.slice(0, 3)]));
    await settle();
    expect(transcoders()).toHaveLength(1);
    expect(transcoders()[0]!.args).not.toContain(URL);
    expect(bytesWritten(transcoders()[0]!)).toEqual(Buffer.concat([init, ...fragments.slice(0, 3)]));

    transcoders()[0]!.frame(JPEG_A);
    await settle();
    expect((await page.slot.next())?.jpeg).toEqual(JPEG_A);
    expect((await tile.slot.next())?.jpeg).toEqual(JPEG_A);
    for (const player of players) {
      expect(player.feed.take()).toMatchObject({ kind: 'init' });
      expect(player.feed.queuedFragments).toBe(3);
    }
    expect(readers()).toHaveLength(1);
    expect(registry.snapshot('door')).toMatchObject({ state: 'live', viewers: 4, video: { codec: 'avc1.42C01E', width: 320, height: 180 } });
    expect(registry.processes().map((process) => process.role).sort()).toEqual(['camera', 'transcoder']);
  });

  it('starts a new consumer at the last keyframe, at once', async () => {
    const { registry, readers } = setup();
    registry.subscribe('door');
    readers()[0]!.stdout.write(Buffer.concat([init, ...fragments.slice(0, GOP + 3)]));
    await settle();
    const late = registry.subscribeVideo('door')!;
    expect(late.feed.take()).toMatchObject({ kind: 'init' });
    const queued = [];
    for (let item = late.feed.take(); item; item = late.feed.take()) if (item.kind === 'fragment') queued.push(item.fragment);
    expect(queued.map((fragment) => fragment.keyframe)).toEqual([true, false, false]);
    expect(Buffer.from(queued[0]!.bytes)).toEqual(Buffer.from(fragments[GOP]!));
  });

  it('switches the grid to the full picture by restarting the transcoder only, which starts from the cache', async () => {
    const { registry, readers, transcoders } = setup();
    registry.subscribe('door', 'grid');
    readers()[0]!.stdout.write(Buffer.concat([init, ...fragments.slice(0, GOP + 2)]));
    await settle();
    expect(transcoders()[0]!.args.join(' ')).toContain('fps=5');
    registry.subscribe('door', 'main');
    await settle();
    expect(readers()).toHaveLength(1);
    expect(transcoders()).toHaveLength(2);
    expect(transcoders()[0]!.signals).toContain('SIGTERM');
    expect(transcoders()[1]!.args.join(' ')).not.toContain('fps=5');
    expect(bytesWritten(transcoders()[1]!)).toEqual(Buffer.concat([init, fragments[GOP]!, fragments[GOP + 1]!]));
  });

  it('restarts a crashed transcoder without touching the camera connection', async () => {
    const { registry, readers, transcoders } = setup();
    const viewer = registry.subscribe('door')!;
    readers()[0]!.stdout.write(Buffer.concat([init, fragments[0]!]));
    await settle();
    transcoders()[0]!.exit(null, 'SIGKILL');
    await settle();
    expect(registry.snapshot('door')).toMatchObject({ state: 'backoff' });
    await vi.advanceTimersByTimeAsync(timing.restartDelayMs);
    expect(transcoders()).toHaveLength(2);
    expect(readers()).toHaveLength(1);
    expect(viewer.slot.isClosed).toBe(false);
  });

  it("shows the connection's failure as the camera's, stops the decoder, and decodes again when the camera is back", async () => {
    const { registry, readers, transcoders } = setup();
    const viewer = registry.subscribe('door')!;
    readers()[0]!.stdout.write(Buffer.concat([init, fragments[0]!]));
    await settle();
    readers()[0]!.stderr.write(`[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized\n`);
    readers()[0]!.exit(1);
    await settle();
    const snapshot = registry.snapshot('door')!;
    expect(snapshot).toMatchObject({ state: 'backoff', failure: 'authentication failed' });
    expect(JSON.stringify(snapshot)).not.toContain('hunter2');
    expect(transcoders()[0]!.signals).toEqual(['SIGKILL']);
    expect(viewer.slot.isClosed).toBe(false);

    await vi.advanceTimersByTimeAsync(timing.authRetryDelayMs);
    expect(readers()).toHaveLength(2);
    readers()[1]!.stdout.write(Buffer.concat([init, fragments[0]!]));
    await settle();
    expect(transcoders()).toHaveLength(2);
    expect(registry.snapshot('door')).toMatchObject({ state: 'live', failure: undefined });
  });

  it('stops both processes a grace period after the last consumer leaves', async () => {
    const { registry, readers, transcoders } = setup();
    const viewer = registry.subscribe('door')!;
    const player = registry.subscribeVideo('door')!;
    readers()[0]!.stdout.write(Buffer.concat([init, fragments[0]!]));
    await settle();
    viewer.release();
    player.release();
    await vi.advanceTimersByTimeAsync(timing.graceMs - 1);
    expect(readers()[0]!.exited).toBe(false);
    await vi.advanceTimersByTimeAsync(timing.graceMs + 10);
    expect(readers()[0]!.exited).toBe(true);
    expect(transcoders()[0]!.exited).toBe(true);
    expect(registry.runningPids()).toEqual([]);
  });
});

describe('a consumer arriving between the init and the first frame', () => {
  it('gets the init too', async () => {
    const { registry, readers } = setup();
    registry.subscribe('door');
    readers()[0]!.stdout.write(Buffer.from(init));
    await settle();
    const player = registry.subscribeVideo('door')!;
    readers()[0]!.stdout.write(Buffer.from(fragments[0]!));
    await settle();
    expect(player.feed.take()).toMatchObject({ kind: 'init' });
    expect(player.feed.take()).toMatchObject({ kind: 'fragment' });
  });
});

describe('a transcoder whose decoder is stuck', () => {
  it('is stopped after the decoder stall time and started again, the camera connection untouched', async () => {
    const { registry, readers, transcoders } = setup();
    const viewer = registry.subscribe('door')!;
    readers()[0]!.stdout.write(Buffer.concat([init, ...fragments.slice(0, 2)]));
    await settle();
    expect(transcoders()).toHaveLength(1);
    // The camera goes on sending; the decoder makes nothing of it.
    for (let second = 1; second <= DECODER_STALL_MS / 1000; second += 1) {
      readers()[0]!.stdout.write(Buffer.from(fragments[1 + (second % 9)]!));
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(transcoders()[0]!.signals).toContain('SIGKILL');
    // MJPEG viewers have no picture while it restarts, and that is what the camera's status says.
    expect(registry.snapshot('door')).toMatchObject({ state: 'backoff', failure: 'timed out', reason: expect.stringContaining('decoder') });
    await vi.advanceTimersByTimeAsync(timing.restartDelayMs);
    expect(transcoders()).toHaveLength(2);
    expect(readers()).toHaveLength(1);
    expect(viewer.slot.isClosed).toBe(false);
  });
});
