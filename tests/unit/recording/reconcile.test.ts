import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileRecordings, type ReconcileCounts } from '@/lib/recording/reconcile';
import { SegmentIndex } from '@/lib/recording/segment-index';
import { segmentPath } from '@/lib/recording/types';
import { encodeStream, ffmpegPath, parseStream, writeSegments, type WrittenSegment } from './recorded-fixture';

const T0 = Date.UTC(2026, 11, 1, 23, 59, 55);
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-reconcile-'));
const dir = path.join(directory, 'recordings');
let index: SegmentIndex;
let door: WrittenSegment[];
let yard: WrittenSegment[];
let counts: ReconcileCounts;
const ids = { kept: 0, openWhole: 0, openCut: 0, gone: 0, noInit: 0 };
const file = (segment: { path: string }) => path.join(dir, segment.path);

beforeAll(async () => {
  const stream = parseStream(await encodeStream(await ffmpegPath(), 8));
  // 4 segments of 2 s; the last on the next day.
  door = writeSegments(dir, 'door', stream, { startedAt: T0, keyframesPerSegment: 2 });
  yard = writeSegments(dir, 'yard', stream, { startedAt: T0 + 60_000, keyframesPerSegment: 4 });
  index = SegmentIndex.open(path.join(directory, 'data', 'events.sqlite'));
  const row = (segment: WrittenSegment, open: boolean) => {
    const id = index.begin(segment);
    if (!open) index.finish(id, segment.endedAt, segment.bytes);
    return id;
  };
  ids.kept = row(door[0]!, false);
  // Left open by a crash: the row last extended 1 s in, the file went on to its end.
  ids.openWhole = row(door[1]!, true);
  index.extend(ids.openWhole, door[1]!.startedAt + 1_000, 5_000);
  // Left open with its last fragment half-written.
  ids.openCut = row(door[2]!, true);
  const lastOfCut = door[2]!.fragments.at(-1)!;
  truncateSync(file(door[2]!), door[2]!.bytes - Math.floor(lastOfCut.bytes.length / 2));
  // Deleted by hand.
  ids.gone = row(door[3]!, false);
  rmSync(file(door[3]!));
  // yard[0] has no row (the process died before writing it); yard[1] holds its init only.
  truncateSync(file(yard[1]!), yard[1]!.initBytes);
  // An open row whose file never got its init.
  const early = { ...door[0]!, startedAt: T0 + 600_000, path: segmentPath('door', T0 + 600_000) };
  ids.noInit = row(early, true);
  mkdirSync(path.dirname(file(early)), { recursive: true });
  writeFileSync(file(early), readFileSync(file(door[0]!)).subarray(0, 20));
  // Not ours: left alone, and so are their directories.
  writeFileSync(path.join(dir, 'README.txt'), 'mine');
  writeFileSync(path.join(dir, 'door', path.dirname(door[0]!.path).split('/')[1]!, 'notes.txt'), 'mine');
  mkdirSync(path.join(dir, 'door', '2026-11-30'));
  mkdirSync(path.join(dir, 'door', 'exports'));
  counts = await reconcileRecordings(dir, index);
});

afterAll(() => {
  index?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('reconciling the index with the files at start-up', () => {
  it('counts each kind', () => {
    expect(counts).toMatchObject({ finished: 2, missingFiles: 1, indexed: 1, emptyFiles: 2, truncated: 1, otherFiles: 3, emptyDays: 2 });
    expect(counts.truncatedBytes).toBeGreaterThan(0);
  });

  it('finishes open rows at their file’s real end, cutting a half-written fragment off', () => {
    expect(index.get(ids.openWhole)).toMatchObject({ open: false, endedAt: door[1]!.endedAt, bytes: door[1]!.bytes });
    const cut = door[2]!;
    const whole = cut.bytes - cut.fragments.at(-1)!.bytes.length;
    const lastWhole = cut.fragments.at(-2)!;
    const end = cut.startedAt + ((lastWhole.decodeTime + lastWhole.duration! - cut.mediaStart) / cut.timescale) * 1000;
    expect(index.get(ids.openCut)).toMatchObject({ open: false, endedAt: Math.round(end), bytes: whole });
    expect(statSync(file(cut)).size).toBe(whole);
    expect(index.get(ids.kept)).toMatchObject({ open: false, endedAt: door[0]!.endedAt });
  });

  it('deletes rows whose file is gone, and files (with their rows) that hold no whole fragment', () => {
    expect(index.get(ids.gone)).toBeUndefined();
    expect(index.get(ids.noInit)).toBeUndefined();
    expect(existsSync(path.join(dir, segmentPath('door', T0 + 600_000)))).toBe(false);
    expect(existsSync(file(yard[1]!))).toBe(false);
    expect(index.openSegments()).toEqual([]);
  });

  it('indexes a file without a row from its name and its fragments', () => {
    const yard = index.segments('yard', 0, Number.MAX_SAFE_INTEGER);
    expect(yard).toHaveLength(1);
    expect(yard[0]).toMatchObject({ startedAt: T0 + 60_000, endedAt: T0 + 60_000 + 4_000, open: false, codec: expect.stringMatching(/^avc1\./), width: 320, mediaStart: 0 });
  });

  it('leaves other files alone, and removes empty day directories', () => {
    expect(readFileSync(path.join(dir, 'README.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(dir, 'door', 'exports'))).toBe(true);
    expect(existsSync(path.join(dir, 'door', '2026-11-30'))).toBe(false);
    expect(existsSync(path.dirname(file(door[0]!)))).toBe(true); // still holds notes.txt
  });

  it('changes nothing the second time', async () => {
    expect(await reconcileRecordings(dir, index)).toEqual({ finished: 0, missingFiles: 0, indexed: 0, emptyFiles: 0, truncated: 0, truncatedBytes: 0, otherFiles: 3, emptyDays: 0 });
  });
});
