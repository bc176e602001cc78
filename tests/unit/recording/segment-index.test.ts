import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventStore } from '@/lib/events/event-store';
import { SCHEMA_VERSION } from '@/lib/events/schema';
import { SegmentIndex } from '@/lib/recording/segment-index';
import { segmentPath, SPAN_JOIN_GAP_MS, type NewSegment } from '@/lib/recording/types';

const T0 = Date.UTC(2026, 11, 1, 12);
let directory: string;
let file: string;
let index: SegmentIndex;

const segment = (camera: string, startedAt: number, overrides: Partial<NewSegment> = {}): NewSegment => ({
  camera,
  path: segmentPath(camera, startedAt),
  startedAt,
  codec: 'avc1.42c01e',
  width: 320,
  height: 180,
  timescale: 15_360,
  mediaStart: 0,
  initBytes: 800,
  ...overrides,
});

/** A closed segment of `camera` over [start, end). */
const closed = (camera: string, start: number, end: number, bytes = 1_000) => {
  const id = index.begin(segment(camera, start));
  index.finish(id, end, bytes);
  return id;
};

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'camdash-segment-index-'));
  file = path.join(directory, 'data', 'events.sqlite');
  index = SegmentIndex.open(file);
});

afterEach(() => {
  index.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the segment index', () => {
  it('lives in the events’ file, which both open in WAL mode, and events and segments keep each other', () => {
    const events = EventStore.open(file, { maxAgeDays: 30, maxEvents: 10 });
    closed('door', T0, T0 + 60_000);
    events.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all()).toEqual(expect.arrayContaining(['events', 'segments', 'snapshots']));
    db.close();
    expect(index.count()).toBe(1);
  });

  it('begins, extends and finishes a segment', () => {
    const id = index.begin(segment('door', T0));
    expect(index.get(id)).toMatchObject({ camera: 'door', startedAt: T0, endedAt: T0, open: true, bytes: 800, initBytes: 800, codec: 'avc1.42c01e' });
    expect(index.openSegments().map((row) => row.id)).toEqual([id]);
    expect(index.extend(id, T0 + 2_000.4, 50_000)).toBe(true);
    expect(index.get(id)).toMatchObject({ endedAt: T0 + 2_000, bytes: 50_000, open: true });
    expect(index.finish(id, T0 + 60_000, 900_000)).toBe(true);
    expect(index.get(id)).toMatchObject({ endedAt: T0 + 60_000, bytes: 900_000, open: false });
    expect(index.openSegments()).toEqual([]);
    expect(index.extend(id + 1, T0, 1)).toBe(false);
  });

  it('moves a segment’s start back when the recorder says so, and keeps it otherwise', () => {
    const id = index.begin(segment('door', T0));
    index.extend(id, T0 + 2_000, 50_000, T0 - 400);
    expect(index.get(id)).toMatchObject({ startedAt: T0 - 400, endedAt: T0 + 2_000, path: segmentPath('door', T0) });
    index.finish(id, T0 + 4_000, 90_000);
    expect(index.get(id)).toMatchObject({ startedAt: T0 - 400, endedAt: T0 + 4_000, open: false });
    expect(index.segmentAt('door', T0 - 200)?.id).toBe(id);
  });

  it('refuses a row whose path is not its camera’s file at its start, or whose numbers are not whole', () => {
    expect(() => index.begin(segment('door', T0, { path: '../../etc/passwd' }))).toThrow(/^recording: segment path "..\/..\/etc\/passwd" is not the file of camera door/);
    expect(() => index.begin(segment('door', T0, { path: segmentPath('yard', T0) }))).toThrow(/not the file of camera door/);
    expect(() => index.begin(segment('Door', T0))).toThrow(/needs a camera id/);
    expect(() => index.begin(segment('door', T0, { timescale: 0 }))).toThrow(/timescale must be a whole number, 1 or more/);
    expect(() => index.finish(1, Number.NaN, 1)).toThrow(/endedAt must be a time/);
    expect(index.count()).toBe(0);
  });

  it('gives spans of segments less than SPAN_JOIN_GAP_MS apart, clipped to the range asked', () => {
    closed('door', T0, T0 + 60_000);
    closed('door', T0 + 60_000, T0 + 120_000); // contiguous
    closed('door', T0 + 120_000 + SPAN_JOIN_GAP_MS - 1, T0 + 180_000); // just under the gap
    closed('door', T0 + 180_000 + SPAN_JOIN_GAP_MS, T0 + 240_000); // a gap
    closed('yard', T0, T0 + 500_000);
    expect(index.spans('door', T0 - 1_000_000, T0 + 1_000_000)).toEqual([
      { start: T0, end: T0 + 180_000 },
      { start: T0 + 180_000 + SPAN_JOIN_GAP_MS, end: T0 + 240_000 },
    ]);
    expect(index.spans('door', T0 + 30_000, T0 + 200_000)).toEqual([
      { start: T0 + 30_000, end: T0 + 180_000 },
      { start: T0 + 180_000 + SPAN_JOIN_GAP_MS, end: T0 + 200_000 },
    ]);
    expect(index.spans('door', T0 + 240_000, T0 + 300_000)).toEqual([]);
    expect(index.spans('gate', T0, T0 + 300_000)).toEqual([]);
    expect(index.segments('door', T0 + 59_999, T0 + 60_001).map((row) => row.startedAt)).toEqual([T0, T0 + 60_000]);
  });

  it('finds the segment at a moment, the next one just after a gap, and nothing far from footage', () => {
    const first = closed('door', T0, T0 + 60_000);
    const second = closed('door', T0 + 63_000, T0 + 120_000);
    expect(index.segmentAt('door', T0)?.id).toBe(first);
    expect(index.segmentAt('door', T0 + 59_999)?.id).toBe(first);
    expect(index.segmentAt('door', T0 + 60_000)?.id).toBe(second); // in the 3 s gap
    expect(index.segmentAt('door', T0 - 4_000)?.id).toBe(first);
    expect(index.segmentAt('door', T0 - 10_000)).toBeUndefined();
    expect(index.segmentAt('door', T0 + 130_000)).toBeUndefined();
    expect(index.following(index.get(first)!)?.id).toBe(second);
    expect(index.following(index.get(second)!)).toBeUndefined();
    // The row of a segment being written lags its file by up to a few seconds.
    const writing = index.begin(segment('door', T0 + 200_000));
    index.extend(writing, T0 + 210_000, 1);
    expect(index.segmentAt('door', T0 + 212_000)?.id).toBe(writing);
  });

  it('lists what retention takes: the oldest closed across cameras, a camera’s closed before a time, never an open one', () => {
    const a = closed('door', T0, T0 + 60_000, 100);
    const b = closed('yard', T0 + 10_000, T0 + 70_000, 200);
    const c = closed('door', T0 + 60_000, T0 + 120_000, 300);
    const open = index.begin(segment('door', T0 - 5_000));
    expect(index.oldestClosed(2).map((row) => row.id)).toEqual([a, b]);
    expect(index.closedBefore('door', T0 + 120_000).map((row) => row.id)).toEqual([a, c]);
    expect(index.closedBefore('door', T0 + 119_999).map((row) => row.id)).toEqual([a]);
    expect([index.count(), index.totalBytes()]).toEqual([4, 100 + 200 + 300 + 800]);
    expect(index.bytesByCamera()).toEqual(new Map([['door', 1_200], ['yard', 200]]));
    expect(index.paths().get(segmentPath('yard', T0 + 10_000))).toBe(b);
    expect(index.delete([a, c, 999])).toBe(2);
    expect(index.openSegments().map((row) => row.id)).toEqual([open]);
    expect(index.count()).toBe(2);
  });
});
