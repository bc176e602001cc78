import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskGuard } from '@/lib/recording/disk-guard';
import { RetentionSweeper, type SegmentIndexPruner } from '@/lib/recording/retention';
import { segmentPath, type Segment } from '@/lib/recording/types';

const DAY = 24 * 60 * 60_000;
const NOW = Date.UTC(2026, 11, 2, 12);
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The index as an array: retention's rules are what is tested here, the SQL has its own tests. */
function memoryIndex(segments: Segment[]): SegmentIndexPruner & { rows: Segment[] } {
  const index = {
    rows: segments,
    closedBefore: (camera: string, before: number) => index.rows.filter((row) => row.camera === camera && !row.open && row.endedAt < before),
    segments: (camera: string, from: number, to: number) => index.rows.filter((row) => row.camera === camera && row.endedAt >= from && row.startedAt <= to),
    oldestClosed: (limit: number) => index.rows.filter((row) => !row.open).sort((a, b) => a.startedAt - b.startedAt).slice(0, limit),
    openSegments: () => index.rows.filter((row) => row.open),
    delete: (ids: readonly number[]) => (index.rows = index.rows.filter((row) => !ids.includes(row.id))),
    count: () => index.rows.length,
    totalBytes: () => index.rows.reduce((sum, row) => sum + row.bytes, 0),
  };
  return index;
}

/** Segments of 60 s with real (small) files, the last one open. */
function recordings(camera: string, count: number, lastStart: number, bytes = 1000) {
  const dir = mkdtempSync(path.join(tmpdir(), 'camdash-retention-'));
  dirs.push(dir);
  const rows = Array.from({ length: count }, (_, index): Segment => {
    const startedAt = lastStart - (count - 1 - index) * 60_000;
    const relative = segmentPath(camera, startedAt);
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), Buffer.alloc(bytes));
    return { id: index + 1, camera, path: relative, startedAt, endedAt: startedAt + 60_000, open: index === count - 1, bytes, codec: 'avc1.64001f', width: 1280, height: 720, timescale: 90_000, mediaStart: 0, initBytes: 800 };
  });
  return { dir, rows };
}

const quiet = () => undefined;

function sweeper(dir: string, index: SegmentIndexPruner, options: { days?: number; mode?: 'continuous' | 'motion'; minFreeBytes?: number; maxBytes?: number; events?: { start: number; end: number | null }[]; log?: (level: string, message: string) => void }) {
  const guard = new DiskGuard(dir, { minFreeBytes: options.minFreeBytes ?? 0, minFreePercent: 0 }, () => NOW);
  return new RetentionSweeper({
    index,
    guard,
    dir,
    cameras: () => [{ id: 'door', record: { mode: options.mode ?? 'continuous', days: options.days ?? 7 } }],
    writing: () => new Set(),
    motionEvents: () => options.events ?? [],
    maxBytes: options.maxBytes,
    log: options.log ?? quiet,
    now: () => NOW,
  });
}

describe('RetentionSweeper', () => {
  it('deletes footage past its days, files and rows, and keeps the rest', async () => {
    const { dir, rows } = recordings('door', 10, NOW - 2 * DAY + 5 * 60_000);
    const index = memoryIndex(rows);
    const result = await sweeper(dir, index, { days: 2 }).sweep();
    // Segments 1-3 ended more than 2 days ago; 4 ends within them.
    expect(result.byAge).toBe(3);
    expect(index.rows.map((row) => row.id)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    for (const row of rows) expect(existsSync(path.join(dir, row.path))).toBe(row.id > 3);
  });

  it('keeps only the segments near a motion event for a camera recording around motion', async () => {
    const { dir, rows } = recordings('door', 10, NOW - 60_000);
    const index = memoryIndex(rows);
    const event = { start: rows[4]!.startedAt + 30_000, end: rows[4]!.startedAt + 40_000 };
    const sweep = sweeper(dir, index, { mode: 'motion', events: [event] });
    // At most half the index goes in one sweep, the rest at the next ones.
    expect((await sweep.sweep()).byMotion).toBe(5);
    for (let sweeps = 0; sweeps < 5 && index.rows.length > 2; sweeps += 1) await sweep.sweep();
    // Segment 5 holds the event; 10 is still being written.
    expect(index.rows.map((row) => row.id)).toEqual([5, 10]);
  });

  it('frees space oldest first down to the size cap, never the open segment, at most half the index a sweep and then says so loudly', async () => {
    const { dir, rows } = recordings('door', 10, NOW - 60_000);
    const index = memoryIndex(rows);
    const logged: string[] = [];
    const first = await sweeper(dir, index, { maxBytes: 7000 }).sweep();
    expect(first.bySpace).toBe(3);
    expect(index.rows.map((row) => row.id)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const second = await sweeper(dir, index, { maxBytes: 0, log: (level, message) => logged.push(`${level} ${message}`) }).sweep();
    expect(second.bySpace).toBe(3);
    expect(index.rows.map((row) => row.id)).toEqual([7, 8, 9, 10]);
    expect(logged.some((line) => line.startsWith('error') && line.includes('half of all segments') && line.includes(dir))).toBe(true);
  });

  it('deletes nothing for the floor when all the footage could not make up the shortfall, and says so once', async () => {
    const { dir, rows } = recordings('door', 10, NOW - 60_000);
    const index = memoryIndex(rows);
    const logged: string[] = [];
    // Other files fill the disk: no amount of footage brings it back to a floor this high.
    const sweep = sweeper(dir, index, { minFreeBytes: Number.MAX_SAFE_INTEGER, log: (level, message) => logged.push(`${level} ${message}`) });
    expect((await sweep.sweep()).bySpace).toBe(0);
    expect((await sweep.sweep()).bySpace).toBe(0);
    expect(index.rows).toHaveLength(10);
    for (const row of rows) expect(existsSync(path.join(dir, row.path))).toBe(true);
    expect(logged.filter((line) => line.startsWith('error') && line.includes('because of other files') && line.includes('None is deleted'))).toHaveLength(1);
  });

  it('pauses recording while the disk is below its floor, and says how much is free', async () => {
    const { dir } = recordings('door', 1, NOW);
    const guard = new DiskGuard(dir, { minFreeBytes: Number.MAX_SAFE_INTEGER, minFreePercent: 0 }, () => NOW);
    expect(guard.pausedReason()).toBeUndefined();
    await guard.check();
    expect(guard.pausedReason()).toMatch(/^recording paused: [\d.]+ [KMG]B free on the recordings' disk, below the floor of/);
  });
});
