import { HEATMAP } from '../motion/types';
import type { StoredEvent } from './stored-event';

/** An event as the API and the events page give it: ids, times and scores only, never a camera's source. */
export type EventJson = {
  id: number;
  camera: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Null while the event goes on. */
  endedAt: number | null;
  /** The last time the detector said the event went on. */
  lastSeenAt: number;
  zones: string[];
  /** The largest share of the picture that moved, 0 to 1, and when. */
  peak: number;
  peakAt: number;
  /** The URL of the full-size JPEG at the peak, or null while there is none yet. */
  snapshot: string | null;
  /** Where motion was: width × height cells, row by row, 0–255, base64. */
  heatmap: { width: number; height: number; cells: string };
};

export const snapshotPath = (id: number): string => `/api/events/${id}/snapshot`;

export function eventJson(event: StoredEvent): EventJson {
  return {
    id: event.id,
    camera: event.camera,
    startedAt: event.startedAt,
    endedAt: event.endedAt,
    lastSeenAt: event.lastSeenAt,
    zones: event.zones,
    peak: event.peak,
    peakAt: event.peakAt,
    snapshot: event.hasSnapshot ? snapshotPath(event.id) : null,
    heatmap: { width: HEATMAP.width, height: HEATMAP.height, cells: Buffer.from(event.heatmap).toString('base64') },
  };
}
