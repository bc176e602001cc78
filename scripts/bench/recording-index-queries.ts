/**
 * The segment index's queries at the size of a full installation: 16 cameras × 30 days of 60 s
 * segments (691,200 rows) in a temporary events file. Each query's first call (a cold cache) apart,
 * then the median and max of the 20 after it. The playback page's question (one camera's spans over
 * 24 h) must take at most INDEX_LIMIT_MS (issue 19), the first call included. Shared by
 * npm run bench:recording-index and npm run bench:recording.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SegmentIndex } from '../../lib/recording/segment-index';
import { segmentPath } from '../../lib/recording/types';

export const INDEX_CAMERAS = Array.from({ length: 16 }, (_, n) => `camera-${n + 1}`);
export const INDEX_DAYS = 30;
export const INDEX_SEGMENT_MS = 60_000;
export const INDEX_LIMIT_MS = 50;
const RUNS = 20;
const DAY_MS = 24 * 60 * 60_000;
const END = Date.UTC(2026, 11, 31);
const START = END - INDEX_DAYS * DAY_MS;

export type QueryTiming = { name: string; first: number; median: number; max: number; result: unknown };
export type IndexQueries = { rows: number; fillMs: number; results: QueryTiming[]; /** The playback page's query: its first call or its slowest after, whichever is worse. */ spansWorstMs: number };

function fill(file: string): number {
  SegmentIndex.open(file).close(); // the schema, as the server makes it
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO segments (camera, path, started_at, ended_at, open, bytes, codec, width, height, timescale, media_start, init_bytes)
     VALUES (?, ?, ?, ?, 0, 30000000, 'avc1.640028', 1920, 1080, 90000, ?, 900)`,
  );
  let rows = 0;
  db.transaction(() => {
    for (let start = START; start < END; start += INDEX_SEGMENT_MS) {
      for (const camera of INDEX_CAMERAS) {
        // A few hundred ms of jitter and, now and then, a gap: as a real recorder leaves them.
        const jitter = (rows * 7_919) % 400;
        const end = start + INDEX_SEGMENT_MS - (rows % 97 === 0 ? 5_000 : 0);
        insert.run(camera, segmentPath(camera, start + jitter), start + jitter, end, rows * 90);
        rows += 1;
      }
    }
  })();
  db.close();
  return rows;
}

/** The first call apart (it reads the pages from the file into SQLite's cache), then RUNS calls. */
function measure(name: string, query: (run: number) => unknown): QueryTiming {
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

/** Fills a temporary index, times its queries, removes it. The first result is the playback page's spans over 24 h. */
export function measureIndexQueries(): IndexQueries {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'camdash-bench-index-'));
  try {
    const file = path.join(directory, 'events.sqlite');
    const filling = performance.now();
    const rows = fill(file);
    const fillMs = performance.now() - filling;
    const index = SegmentIndex.open(file);
    const camera = (run: number) => INDEX_CAMERAS[run % INDEX_CAMERAS.length]!;
    const dayEnd = (run: number) => END - (run % INDEX_DAYS) * DAY_MS;
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
    const spans = results[0]!;
    return { rows, fillMs, results, spansWorstMs: Math.max(spans.first, spans.max) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
