import { HEATMAP, type TrackedEvent } from '../motion/types';
import { EventStoreError } from './event-store-error';

/** An event as the store keeps it: the tracker's event, the camera it is of, and what the store adds. */
export type StoredEvent = TrackedEvent & {
  id: number;
  camera: string;
  /** The last begin or update: where an event left open by a crash or a kill is ended. */
  lastSeenAt: number;
  hasSnapshot: boolean;
};

/** A row of `events`, with `has_snapshot` from a join, as SELECT_EVENT reads it. */
export type EventRow = {
  id: number;
  camera: string;
  started_at: number;
  ended_at: number | null;
  last_seen_at: number;
  zones: string;
  peak: number;
  peak_at: number;
  heatmap: Uint8Array;
  has_snapshot: 0 | 1;
};

export const SELECT_EVENT = `SELECT e.id, e.camera, e.started_at, e.ended_at, e.last_seen_at, e.zones, e.peak, e.peak_at, e.heatmap,
  EXISTS (SELECT 1 FROM snapshots s WHERE s.event_id = e.id) AS has_snapshot FROM events e`;

export function eventFromRow(row: EventRow): StoredEvent {
  return {
    id: row.id,
    camera: row.camera,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    lastSeenAt: row.last_seen_at,
    zones: JSON.parse(row.zones) as string[],
    peak: row.peak,
    peakAt: row.peak_at,
    // A copy of its own: the row's Buffer may be a view into memory better-sqlite3 reuses.
    heatmap: new Uint8Array(row.heatmap),
    hasSnapshot: row.has_snapshot === 1,
  };
}

const HEATMAP_CELLS = HEATMAP.width * HEATMAP.height;

/** What the tracker hands the store, checked: a wrong value is a bug in the caller, said by field. */
export function checkedEvent(event: TrackedEvent): TrackedEvent {
  const time = (field: string, value: unknown) => {
    if (!Number.isSafeInteger(value) || (value as number) < 0) throw new EventStoreError(`${field} must be a time in epoch milliseconds (got ${String(value)})`);
  };
  time('startedAt', event.startedAt);
  time('peakAt', event.peakAt);
  if (event.endedAt !== null) {
    time('endedAt', event.endedAt);
    if (event.endedAt < event.startedAt) throw new EventStoreError(`endedAt (${event.endedAt}) is before startedAt (${event.startedAt})`);
  }
  if (!Number.isFinite(event.peak) || event.peak < 0 || event.peak > 1) throw new EventStoreError(`peak must be from 0 to 1 (got ${String(event.peak)})`);
  if (!Array.isArray(event.zones) || !event.zones.every((zone) => typeof zone === 'string')) throw new EventStoreError('zones must be a list of zone names');
  if (!(event.heatmap instanceof Uint8Array) || event.heatmap.length !== HEATMAP_CELLS) {
    throw new EventStoreError(`heatmap must be ${HEATMAP.width}×${HEATMAP.height} = ${HEATMAP_CELLS} bytes (got ${event.heatmap?.length ?? 'none'})`);
  }
  return event;
}
