/**
 * npm run bench:recording-index — the segment index's queries at the size of a full installation:
 * 16 cameras × 30 days of 60 s segments (691,200 rows) in a temporary events file. Prints each
 * query's first call (a cold cache) and the median and max of the 20 after it; the playback page's question (one camera's spans over 24 h)
 * must take at most 50 ms (issue 19), the first call included: the script exits 1 when it does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SegmentIndex } from '../../lib/recording/segment-index';
import { segmentPath } from '../../lib/recording/types';
import { fixed } from './table';

const CAMERAS = Array.from({ length: 16 }, (_, n) => `camera-${n + 1}`);
const DAYS = 30;
const SEGMENT_MS = 60_000;
const RUNS = 20;
const DAY_MS = 24 * 60 * 60_000;
const LIMIT_MS = 50;
const END = Date.UTC(2026, 11, 31);
const START = END - DAYS * DAY_MS;

function fill(file: string): number {
  SegmentIndex.open(file).close(); // the schema, as the server makes it
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO segments (camera, path, started_at, ended_at, open, bytes, codec, width, height, timescale, media_start, init_bytes)
     VALUES (?, ?, ?, ?, 0, 30000000, 'avc1.640028', 1920, 1080, 90000, ?, 900)`,
  );
  let rows = 0;
  db.transaction(() => {
    for (let start = START; start < END; start += SEGMENT_MS) {
      for (const camera of CAMERAS) {
        // A few hundred ms of jitter and, now and then, a gap: as a real recorder leaves them.
        const jitter = (rows * 7_919) % 400;
        const end = start + SEGMENT_MS - (rows % 97 === 0 ? 5_000 : 0);
        insert.run(camera, segmentPath(camera, start + jitter), start + jitter, end, rows * 90);
        rows += 1;
      }
    }
  })();
  db.close();
  return rows;
}

/** The first call apart (it reads the pages from the file into SQLite's cache), then RUNS calls. */
function measure(name: string, query: (run: number) => unknown): { name: string; first: number; median: number; max: number; result: unknown } {
  const times: number[] = [];
  const cold = performance.now();
  let result: unknown = query(RUNS);
  const first = performance.now() - cold;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    result = query(run);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { name, first, median: times[Math.floor(RUNS / 2)]!, max: times.at(-1)!, result };
}

const size = (result: unknown) => (Array.isArray(result) ? `${result.length} rows` : result === undefined ? 'none' : '1 row');

function main(): void {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'camdash-bench-index-'));
  try {
    const file = path.join(directory, 'events.sqlite');
    const filling = performance.now();
    const rows = fill(file);
    console.log(`${rows} segments (${CAMERAS.length} cameras × ${DAYS} days of ${SEGMENT_MS / 1000} s) written in ${fixed((performance.now() - filling) / 1000, 1)} s\n`);
    const index = SegmentIndex.open(file);
    const camera = (run: number) => CAMERAS[run % CAMERAS.length]!;
    const dayEnd = (run: number) => END - (run % DAYS) * DAY_MS;
    const results = [
      measure('spans, one camera, 24 h', (run) => index.spans(camera(run), dayEnd(run) - DAY_MS, dayEnd(run))),
      measure('spans, one camera, 31 days', (run) => index.spans(camera(run), END - 31 * DAY_MS, END)),
      measure('segments, one camera, 1 h', (run) => index.segments(camera(run), dayEnd(run) - 3_600_000, dayEnd(run))),
      measure('segmentAt', (run) => index.segmentAt(camera(run), dayEnd(run) - 12_345_678)),
      measure('oldestClosed(100)', () => index.oldestClosed(100)),
      measure('closedBefore, one camera, 1 day', (run) => index.closedBefore(camera(run), START + DAY_MS)),
      measure('totalBytes', () => index.totalBytes()),
    ];
    index.close();
    const width = Math.max(...results.map((result) => result.name.length));
    console.log(`${'query'.padEnd(width)}  first ms  median ms  max ms  result`);
    for (const { name, first, median, max, result } of results) {
      console.log(`${name.padEnd(width)}  ${fixed(first, 2).padStart(8)}  ${fixed(median, 2).padStart(9)}  ${fixed(max, 2).padStart(6)}  ${size(result)}`);
    }
    const spans = results[0]!;
    const worst = Math.max(spans.first, spans.max);
    const ok = worst <= LIMIT_MS;
    console.log(`\n${ok ? 'PASS' : 'FAIL'}: one camera's spans over 24 h took at most ${fixed(worst, 2)} ms (limit ${LIMIT_MS} ms)`);
    if (!ok) process.exitCode = 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main();
