import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import { LiveFeed } from '@/lib/live/live-feed';
import type { LiveSource } from '@/lib/live/live-source';
import { Recorder, type DiskGate, type SegmentIndexWriter } from '@/lib/recording/recorder';
import type { NewSegment } from '@/lib/recording/types';
import { waitFor } from '../../helpers/wait-for';

const TIMESCALE = 90_000;
const FRAME = TIMESCALE / 15;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const init: InitSegment = { bytes: new Uint8Array(32).fill(1), codec: 'avc1.64001f', mimeType: '', width: 1280, height: 720, timescale: TIMESCALE, trackId: 1, defaults: undefined };

/** A camera's connection as the recorder sees it: one feed. */
function connection() {
  const feed = new LiveFeed();
  let held = 0;
  const live = { subscribe: () => (held++, feed), unsubscribe: () => (held--, feed.close()) } as unknown as LiveSource;
  let frame = 0;
  const t0 = Date.UTC(2026, 11, 2, 3, 0, 0);
  const push = (count: number, gop = 15, size = 500) => {
    for (let end = frame + count; frame < end; frame++) {
      const bytes = new Uint8Array(size).fill(frame % 256);
      const fragment = { bytes, sequenceNumber: frame, trackId: 1, keyframe: frame % gop === 0, decodeTime: frame * FRAME, sampleCount: 1, duration: FRAME };
      feed.push({ kind: 'fragment', fragment, receivedAt: t0 + (frame * 1000) / 15 });
    }
  };
  return { live, feed, push, t0, held: () => held };
}

function recordingIndex() {
  const rows = new Map<number, NewSegment & { endedAt: number; bytes: number; finished: boolean }>();
  const index: SegmentIndexWriter = {
    begin: (segment) => (rows.set(rows.size + 1, { ...segment, endedAt: segment.startedAt, bytes: 0, finished: false }), rows.size),
    extend: (id, endedAt, bytes, startedAt) => Object.assign(rows.get(id)!, { endedAt, bytes, startedAt: startedAt ?? rows.get(id)!.startedAt }),
    finish: (id, endedAt, bytes, startedAt) => Object.assign(rows.get(id)!, { endedAt, bytes, startedAt: startedAt ?? rows.get(id)!.startedAt, finished: true }),
  };
  return { rows, index };
}

const openDisk: DiskGate = { pausedReason: () => undefined, writeFailed: () => undefined };

function recorder(options: { queueLimitBytes?: number; disk?: DiskGate; before?: (camera: ReturnType<typeof connection>) => void } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'camdash-recorder-'));
  dirs.push(dir);
  const camera = connection();
  const { rows, index } = recordingIndex();
  const logs: string[] = [];
  const subject = new Recorder('door', camera.live, { mode: 'continuous', days: 7 }, {
    index,
    disk: options.disk ?? openDisk,
    dir,
    segmentSeconds: 4,
    log: (level, message) => logs.push(`${level} ${message}`),
    writer: { queueLimitBytes: options.queueLimitBytes },
  });
  options.before?.(camera);
  subject.start();
  const drained = () => waitFor(() => !camera.feed.hasFrame, { timeoutMs: 5000, message: 'the recorder to take every frame' });
  return { subject, camera, rows, dir, logs, drained };
}

describe('Recorder', () => {
  it('copies the camera into segments of the asked length that start at keyframes, each a playable file, and indexes them on the server clock', async () => {
    const { subject, camera, rows, dir, drained } = recorder();
    camera.feed.push({ kind: 'init', init });
    // 10 s, a keyframe every second: segments of 4 s, 4 s and 2 s.
    camera.push(150);
    await drained();
    await subject.stop();
    expect(camera.held()).toBe(0);
    const segments = [...rows.values()];
    expect(segments.map((row) => [row.startedAt - camera.t0, row.endedAt - camera.t0, row.finished])).toEqual([
      [0, 4000, true],
      [4000, 8000, true],
      [8000, 10_000, true],
    ]);
    expect(segments.map((row) => row.mediaStart)).toEqual([0, 60 * FRAME, 120 * FRAME]);
    const first = readFileSync(path.join(dir, segments[0]!.path));
    expect(first.length).toBe(32 + 60 * 500);
    expect(segments[0]!.bytes).toBe(first.length);
    // The init, then the first frame.
    expect([...first.subarray(0, 33)]).toEqual([...new Array(32).fill(1), 0]);
    expect(segments[0]!.path).toBe('door/2026-12-02/2026-12-02T03-00-00-000Z.mp4');
  });

  it('never records the past a running connection hands it at once (its clock is not known), only its init', async () => {
    const { subject, camera, rows, drained } = recorder({
      // What a running connection queues for a new consumer: its init and the GOP so far, stamped now.
      before: (running) => {
        running.feed.push({ kind: 'init', init });
        running.push(20);
      },
    });
    // The next keyframe (frame 30) begins the first segment.
    camera.push(40);
    await drained();
    await subject.stop();
    expect([...rows.values()].map((row) => [row.startedAt - camera.t0, row.mediaStart])).toEqual([[2000, 30 * FRAME]]);
  });

  it('cuts the segment and drops frames when the disk cannot keep up, says so, and starts again at a keyframe', async () => {
    const { subject, camera, rows, logs } = recorder({ queueLimitBytes: 4000 });
    camera.feed.push({ kind: 'init', init });
    camera.push(30);
    await waitFor(() => subject.status().droppedFragments > 0, { timeoutMs: 5000, message: 'a dropped fragment' });
    expect(logs.some((line) => line.startsWith('warn') && line.includes('the disk is too slow'))).toBe(true);
    expect(subject.status().reason).toBe('the disk is too slow: frames were dropped');
    await subject.stop();
    for (const row of rows.values()) expect(row.finished).toBe(true);
  });

  it('begins nothing while the disk is paused, and says why', async () => {
    const disk: DiskGate = { pausedReason: () => 'recording paused: 10 MB free on the recordings\u2019 disk', writeFailed: () => undefined };
    const { subject, camera, rows } = recorder({ disk });
    camera.feed.push({ kind: 'init', init });
    camera.push(30);
    await waitFor(() => subject.status().reason?.startsWith('recording paused') === true, { timeoutMs: 5000, message: 'the paused status' });
    expect(subject.status().active).toBe(false);
    await subject.stop();
    expect(rows.size).toBe(0);
  });

  it('says at once that recording is paused, and why, when a write fails', async () => {
    const failures: string[] = [];
    const disk: DiskGate = { pausedReason: () => undefined, writeFailed: (failure) => void failures.push(failure.message) };
    const { subject, camera, dir } = recorder({ disk });
    // A file where the camera's folder should be: its first segment cannot be written.
    writeFileSync(path.join(dir, 'door'), '');
    camera.feed.push({ kind: 'init', init });
    camera.push(5);
    await waitFor(() => failures.length > 0, { timeoutMs: 5000, message: 'a failed write' });
    expect(subject.status()).toMatchObject({ active: false, reason: `recording paused: ${failures[0]}` });
    await subject.stop();
  });
});
