import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database, { type Database as SqliteDatabase, type Statement } from 'better-sqlite3';
import { migrate } from '../events/schema';
import { RecordingError } from './recording-error';
import { mergeSpans } from './span-merge';
import { checkedNewSegment, segmentFromRow, wholeTime, type SegmentRow } from './segment-row';
import type { NewSegment, Segment, Span } from './types';

/**
 * How long a segment can be: the recorder cuts at CAMDASH_RECORD_SEGMENT_SECONDS (at most an hour)
 * plus a GOP. Queries look back this far from `from` for a segment that began before it, which keeps
 * them to one range of the (camera, started_at) index however much footage is kept.
 */
export const LONGEST_SEGMENT_MS = 2 * 60 * 60_000;

/**
 * The segments of every camera's recordings, in the events' SQLite file (its own connection, WAL:
 * the recorder writes while the routes read). The recorder begins, extends (every few seconds) and
 * finishes rows; start-up reconciles them with the files; retention deletes the oldest; the
 * playback and export routes look up what covers a time.
 */
export class SegmentIndex {
  private readonly statements = new Map<string, Statement>();

  private constructor(private readonly db: SqliteDatabase) {}

  static open(file: string): SegmentIndex {
    let db: SqliteDatabase | undefined;
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      closeSync(openSync(file, 'a', 0o600));
      db = new Database(file, { timeout: 5_000 });
      // Before WAL, as the event store does: the first migration chooses auto_vacuum.
      migrate(db, path.basename(file));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    } catch (error) {
      db?.close();
      throw new RecordingError(`cannot open the index in ${file}: ${(error as Error).message}`, { cause: error });
    }
    return new SegmentIndex(db);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** A segment whose file has just been started; returns its id. */
  begin(segment: NewSegment): number {
    const row = checkedNewSegment(segment);
    const result = this.statement(
      `INSERT INTO segments (camera, path, started_at, ended_at, open, bytes, codec, width, height, timescale, media_start, init_bytes)
       VALUES (@camera, @path, @startedAt, @endedAt, 1, @bytes, @codec, @width, @height, @timescale, @mediaStart, @initBytes)`,
    ).run(row);
    return Number(result.lastInsertRowid);
  }

  /**
   * The open segment reaches `endedAt` and holds `bytes` (and starts at `startedAt`, when given:
   * the recorder moves a start back when its keyframe came late): what a crash leaves is no older
   * than the last call. False when there is no such row.
   */
  extend(id: number, endedAt: number, bytes: number, startedAt?: number): boolean {
    return this.update(id, endedAt, bytes, startedAt, false);
  }

  /** The segment's file is complete: its end and size (and start, when given) are final. False when there is no such row. */
  finish(id: number, endedAt: number, bytes: number, startedAt?: number): boolean {
    return this.update(id, endedAt, bytes, startedAt, true);
  }

  private update(id: number, endedAt: number, bytes: number, startedAt: number | undefined, finished: boolean): boolean {
    // Without a new start, the row keeps its own.
    const start = startedAt === undefined ? null : wholeTime(startedAt, 'startedAt');
    return this.statement(
      `UPDATE segments SET started_at = coalesce(@start, started_at), ended_at = max(coalesce(@start, started_at), @end), bytes = @bytes${finished ? ', open = 0' : ''} WHERE id = @id`,
    ).run({ id, start, end: wholeTime(endedAt, 'endedAt'), bytes: wholeBytes(bytes) }).changes > 0;
  }

  get(id: number): Segment | undefined {
    const row = this.statement(`SELECT * FROM segments WHERE id = ?`).get(id) as SegmentRow | undefined;
    return row && segmentFromRow(row);
  }

  /** The camera's footage between `from` and `to`, as spans (segments less than SPAN_JOIN_GAP_MS apart joined), clipped to [from, to]. */
  spans(camera: string, from: number, to: number): Span[] {
    const rows = this.statement(
      `SELECT started_at, ended_at FROM segments WHERE camera = ? AND started_at >= ? AND started_at < ? AND ended_at > ? ORDER BY started_at`,
    )
      .raw(true)
      .all(camera, from - LONGEST_SEGMENT_MS, to, from) as [number, number][];
    return mergeSpans(rows, from, to);
  }

  /** The camera's segments that overlap [from, to), by start. */
  segments(camera: string, from: number, to: number): Segment[] {
    const rows = this.statement(
      `SELECT * FROM segments WHERE camera = ? AND started_at >= ? AND started_at < ? AND ended_at > ? ORDER BY started_at, id`,
    ).all(camera, from - LONGEST_SEGMENT_MS, to, from) as SegmentRow[];
    return rows.map(segmentFromRow);
  }

  /**
   * The camera's segment that holds `at`; else the first that starts within `nearMs` after it (a
   * cut between two segments, a reconnect); else undefined. An open segment also holds the moments
   * since its row was last extended, up to `nearMs`: its file is ahead of its row.
   */
  segmentAt(camera: string, at: number, nearMs = NEAR_MS): Segment | undefined {
    const before = this.statement(`SELECT * FROM segments WHERE camera = ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1`).get(camera, at) as
      | SegmentRow
      | undefined;
    if (before && (at < before.ended_at || (before.open === 1 && at < before.ended_at + nearMs))) return segmentFromRow(before);
    const after = this.statement(`SELECT * FROM segments WHERE camera = ? AND started_at > ? AND started_at <= ? ORDER BY started_at, id LIMIT 1`).get(
      camera,
      at,
      at + nearMs,
    ) as SegmentRow | undefined;
    return after && segmentFromRow(after);
  }

  /** The camera's segment after `segment` (by start), if any. */
  following(segment: Pick<Segment, 'id' | 'camera' | 'startedAt'>): Segment | undefined {
    const row = this.statement(
      `SELECT * FROM segments WHERE camera = ? AND (started_at, id) > (?, ?) ORDER BY started_at, id LIMIT 1`,
    ).get(segment.camera, segment.startedAt, segment.id) as SegmentRow | undefined;
    return row && segmentFromRow(row);
  }

  /** The oldest finished segments of all cameras: what goes first when the disk runs short. */
  oldestClosed(limit: number): Segment[] {
    const rows = this.statement(`SELECT * FROM segments WHERE open = 0 ORDER BY started_at, id LIMIT ?`).all(wholeLimit(limit)) as SegmentRow[];
    return rows.map(segmentFromRow);
  }

  /** The camera's finished segments that ended before `before`, oldest first: what its age limit takes. */
  closedBefore(camera: string, before: number, limit = 10_000): Segment[] {
    const rows = this.statement(
      `SELECT * FROM segments WHERE camera = ? AND started_at < ? AND ended_at <= ? AND open = 0 ORDER BY started_at, id LIMIT ?`,
    ).all(camera, before, before, wholeLimit(limit)) as SegmentRow[];
    return rows.map(segmentFromRow);
  }

  /** Deletes these rows (in one transaction); returns how many there were. */
  delete(ids: readonly number[]): number {
    const remove = this.statement(`DELETE FROM segments WHERE id = ?`);
    return this.db.transaction(() => ids.reduce((count, id) => count + remove.run(id).changes, 0))();
  }

  /** Segments being written, or left open by a process that did not finish them. */
  openSegments(): Segment[] {
    return (this.statement(`SELECT * FROM segments WHERE open = 1 ORDER BY id`).all() as SegmentRow[]).map(segmentFromRow);
  }

  /** Every row's file, relative to the recordings directory, and its row's id. */
  paths(): Map<string, number> {
    return new Map(this.statement(`SELECT path, id FROM segments`).raw(true).all() as [string, number][]);
  }

  count(): number {
    return this.statement(`SELECT count(*) FROM segments`).pluck(true).get() as number;
  }

  /** What all the segments take, as their rows say (kept up to date by the schema's triggers). */
  totalBytes(): number {
    return this.statement(`SELECT coalesce(sum(bytes), 0) FROM segment_bytes`).pluck(true).get() as number;
  }

  /** What each camera's segments take; cameras with none are left out. */
  bytesByCamera(): Map<string, number> {
    const rows = this.statement(`SELECT camera, bytes FROM segment_bytes WHERE bytes > 0 ORDER BY camera`).raw(true).all() as [string, number][];
    return new Map(rows);
  }

  /** Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** "A few seconds": a gap this short before `at` still finds the segment after it. */
export const NEAR_MS = 5_000;

function wholeBytes(bytes: number): number {
  if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RecordingError(`a segment's bytes must be a whole number, 0 or more (got ${bytes})`);
  return bytes;
}

function wholeLimit(limit: number): number {
  if (!(Number.isSafeInteger(limit) && limit > 0)) throw new RecordingError(`a limit must be a whole number, 1 or more (got ${limit})`);
  return limit;
}
