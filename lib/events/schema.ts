import type { Database } from 'better-sqlite3';
import { EventStoreError } from './event-store-error';

/**
 * The events file's schema, one step per version. SQLite keeps the version in `user_version`, so a
 * later camdash adds a step here and every file is brought up to date when it is opened. A step is
 * never edited once released: files out there are already at it.
 */
const STEPS: readonly string[] = [
  // 1: events, and their snapshots in a table of their own, so that listing events never reads
  // the pictures' pages. AUTOINCREMENT: an id is never given again after its event is pruned, so
  // a snapshot URL a browser still holds cannot come to show another event's picture.
  `CREATE TABLE events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     camera TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     last_seen_at INTEGER NOT NULL,
     zones TEXT NOT NULL,
     peak REAL NOT NULL,
     peak_at INTEGER NOT NULL,
     heatmap BLOB NOT NULL
   );
   CREATE INDEX events_by_start ON events (started_at, id);
   CREATE INDEX events_by_camera ON events (camera, started_at, id);
   CREATE INDEX events_open ON events (id) WHERE ended_at IS NULL;
   CREATE TABLE snapshots (
     event_id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
     jpeg BLOB NOT NULL,
     taken_at INTEGER NOT NULL
   );`,
  // 2: the recordings' segment files (lib/recording/segment-index.ts, which opens this file with a
  // connection of its own): here, so that the data directory stays one file to back up.
  // (camera, started_at, ended_at) answers a camera's spans from the index alone; the open rows
  // are few and looked up at start-up; the closed ones by start are what retention takes first.
  `CREATE TABLE segments (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     camera TEXT NOT NULL,
     path TEXT NOT NULL UNIQUE,
     started_at INTEGER NOT NULL,
     ended_at INTEGER NOT NULL,
     open INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     codec TEXT NOT NULL,
     width INTEGER NOT NULL,
     height INTEGER NOT NULL,
     timescale INTEGER NOT NULL,
     media_start INTEGER NOT NULL,
     init_bytes INTEGER NOT NULL
   );
   CREATE INDEX segments_by_camera ON segments (camera, started_at, ended_at);
   CREATE INDEX segments_open ON segments (id) WHERE open = 1;
   CREATE INDEX segments_closed_by_start ON segments (started_at, id) WHERE open = 0;
   -- What each camera's footage takes, kept by triggers: the free-space sweep asks often, and
   -- summing a month of rows (691k for 16 cameras) takes over 100 ms.
   CREATE TABLE segment_bytes (camera TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TRIGGER segments_insert_bytes AFTER INSERT ON segments BEGIN
     INSERT INTO segment_bytes (camera, bytes) VALUES (new.camera, new.bytes)
       ON CONFLICT (camera) DO UPDATE SET bytes = bytes + excluded.bytes;
   END;
   CREATE TRIGGER segments_update_bytes AFTER UPDATE OF bytes ON segments BEGIN
     UPDATE segment_bytes SET bytes = bytes - old.bytes + new.bytes WHERE camera = new.camera;
   END;
   CREATE TRIGGER segments_delete_bytes AFTER DELETE ON segments BEGIN
     UPDATE segment_bytes SET bytes = bytes - old.bytes WHERE camera = old.camera;
   END;`,
];

export const SCHEMA_VERSION = STEPS.length;

/** Brings the file to SCHEMA_VERSION; refuses a file written by a newer camdash rather than guess at it. */
export function migrate(db: Database, label: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new EventStoreError(`${label} was written by a newer camdash (schema ${version}; this one knows up to ${SCHEMA_VERSION})`);
  }
  if (version === 0) {
    // Pruned snapshots give their pages back to the file system (PRAGMA incremental_vacuum after a
    // prune); this can only be chosen before the first table exists.
    db.pragma('auto_vacuum = INCREMENTAL');
  }
  for (let step = version; step < SCHEMA_VERSION; step += 1) {
    db.transaction(() => {
      db.exec(STEPS[step]!);
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
}
