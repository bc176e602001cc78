import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database, { type Database as SqliteDatabase, type Statement } from 'better-sqlite3';
import type { TrackedEvent } from '../motion/types';
import { EventStoreError } from './event-store-error';
import { buildListQuery, type EventListQuery } from './list-query';
import { migrate } from './schema';
import { checkedEvent, eventFromRow, SELECT_EVENT, type EventRow, type StoredEvent } from './stored-event';

export type { StoredEvent } from './stored-event';
export type { EventListQuery } from './list-query';

/** How many events are kept: the older ones go, with their snapshots. */
export type RetentionLimits = { maxAgeDays: number; maxEvents: number };

export type EventStoreOptions = RetentionLimits & {
  /** The clock for `lastSeenAt` and the prune after each new event; tests pass their own. */
  now?: () => number;
};

export type StoredSnapshot = { jpeg: Uint8Array; takenAt: number };

const DAY_MS = 24 * 60 * 60_000;

/**
 * Motion events and their snapshots in one SQLite file (WAL: the page reads while the detector
 * writes). Snapshots are BLOBs in a table of their own rather than files beside it: an event and
 * its picture are written and pruned in one transaction, so a crash can leave neither a picture
 * without its event nor an event pointing at a missing file, and the data directory is one file to
 * back up. Reading a few-hundred-KB BLOB costs about what reading a file does, and only the
 * snapshot URL reads them.
 */
export class EventStore {
  private readonly statements = new Map<string, Statement>();

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly limits: RetentionLimits,
    private readonly now: () => number,
  ) {}

  static open(file: string, { now = Date.now, ...limits }: EventStoreOptions): EventStore {
    checkLimits(limits);
    const label = path.basename(file);
    let db: SqliteDatabase | undefined;
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Snapshots show what the cameras see: the file (and SQLite's -wal and -shm, which take its
      // mode) is for camdash's user only.
      closeSync(openSync(file, 'a', 0o600));
      db = new Database(file, { timeout: 5_000 });
      db.pragma('foreign_keys = ON');
      // Before WAL: switching a new file to WAL writes its first page, after which its
      // auto_vacuum (chosen by the first migration) can no longer be set.
      migrate(db, label);
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL cannot corrupt the file; a power cut may lose the last moments' writes.
      db.pragma('synchronous = NORMAL');
    } catch (error) {
      db?.close();
      if (error instanceof EventStoreError) throw error;
      throw new EventStoreError(`cannot open ${file}: ${(error as Error).message}`, { cause: error });
    }
    return new EventStore(db, limits, now);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Records an event that has just started; returns its id. Prunes, so the store never outgrows its limits. */
  begin(camera: string, event: TrackedEvent): number {
    const { startedAt, endedAt, zones, peak, peakAt, heatmap } = checkedEvent(event);
    if (typeof camera !== 'string' || camera === '') throw new EventStoreError('an event needs a camera id');
    const result = this.statement(
      `INSERT INTO events (camera, started_at, ended_at, last_seen_at, zones, peak, peak_at, heatmap) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(camera, startedAt, endedAt, Math.max(startedAt, this.now()), JSON.stringify(zones), peak, peakAt, heatmap);
    const id = Number(result.lastInsertRowid);
    this.prune(this.now());
    return id;
  }

  /**
   * The tracker's latest view of an event (zones, peak, heatmap, end). Also what tells the store the
   * event still goes on: an event the process leaves open ends at its last update, so an ongoing
   * event should be updated every few seconds. False when there is no such event (pruned).
   */
  update(id: number, event: TrackedEvent): boolean {
    const { endedAt, zones, peak, peakAt, heatmap } = checkedEvent(event);
    const result = this.statement(
      `UPDATE events SET ended_at = ?, last_seen_at = max(started_at, ?), zones = ?, peak = ?, peak_at = ?, heatmap = ? WHERE id = ?`,
    ).run(endedAt, this.now(), JSON.stringify(zones), peak, peakAt, heatmap, id);
    return result.changes > 0;
  }

  /** The camera's full-size picture at the event's peak; replaces an earlier one. False when there is no such event. */
  setSnapshot(id: number, jpeg: Uint8Array): boolean {
    if (!(jpeg instanceof Uint8Array) || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
      throw new EventStoreError(`event ${id}: a snapshot must be a JPEG (it starts with FF D8)`);
    }
    const result = this.statement(
      `INSERT OR REPLACE INTO snapshots (event_id, jpeg, taken_at) SELECT id, ?, ? FROM events WHERE id = ?`,
    ).run(jpeg, this.now(), id);
    return result.changes > 0;
  }

  /** Newest first; with `from`/`to`, the events that overlap that time (an ongoing one reaches to now). */
  list(query: EventListQuery): StoredEvent[] {
    const { key, sql, params } = buildListQuery(SELECT_EVENT, query);
    return (this.statement(sql, key).all(...params) as EventRow[]).map(eventFromRow);
  }

  get(id: number): StoredEvent | undefined {
    const row = this.statement(`${SELECT_EVENT} WHERE e.id = ?`).get(id) as EventRow | undefined;
    return row && eventFromRow(row);
  }

  snapshot(id: number): StoredSnapshot | undefined {
    const row = this.statement(`SELECT jpeg, taken_at FROM snapshots WHERE event_id = ?`).get(id) as { jpeg: Uint8Array; taken_at: number } | undefined;
    return row && { jpeg: row.jpeg, takenAt: row.taken_at };
  }

  /**
   * For start-up: events that a crash or a kill left open (last seen at or before `at`) end at
   * their last update, the last moment camdash knew them to go on. Returns how many.
   */
  endOpenEvents(at: number): number {
    return this.statement(`UPDATE events SET ended_at = last_seen_at WHERE ended_at IS NULL AND last_seen_at <= ?`).run(at).changes;
  }

  /**
   * Deletes the events (and their snapshots) that ended more than maxAgeDays before `now`, and
   * all but the newest maxEvents. Returns how many went.
   */
  prune(now: number): number {
    const deleted = this.db.transaction(() => {
      const cutoff = now - this.limits.maxAgeDays * DAY_MS;
      let count = this.statement(`DELETE FROM events WHERE coalesce(ended_at, last_seen_at) < ?`).run(cutoff).changes;
      // The newest event beyond the limit: it and everything that started before it go.
      const oldestTooMany = this.statement(`SELECT started_at, id FROM events ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?`).get(this.limits.maxEvents) as
        | { started_at: number; id: number }
        | undefined;
      if (oldestTooMany) {
        count += this.statement(`DELETE FROM events WHERE (started_at, id) <= (?, ?)`).run(oldestTooMany.started_at, oldestTooMany.id).changes;
      }
      return count;
    })();
    // Outside the transaction: the pages of deleted snapshots go back to the file system.
    if (deleted > 0) this.db.pragma('incremental_vacuum');
    return deleted;
  }

  /** Idempotent: the last writes are checkpointed into the file and the WAL is removed. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string, key = sql): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(key, statement);
    }
    return statement;
  }
}

function checkLimits({ maxAgeDays, maxEvents }: RetentionLimits): void {
  if (!(Number.isFinite(maxAgeDays) && maxAgeDays > 0)) throw new EventStoreError(`maxAgeDays must be a positive number of days (got ${maxAgeDays})`);
  if (!(Number.isSafeInteger(maxEvents) && maxEvents > 0)) throw new EventStoreError(`maxEvents must be a positive whole number (got ${maxEvents})`);
}
