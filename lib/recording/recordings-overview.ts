import type { PublicCamera } from '../cameras/public-camera';
import type { Span } from './types';

/** What the index tells of one camera's footage, for the recordings page. */
export type RecordedFootage = { spans: readonly Span[]; bytes: number };

export type RecordingsRow = {
  id: string;
  name: string;
  recording: PublicCamera['recording'];
  /** Recorded time in the last 24 hours, ms. */
  recordedMs: number;
  /** The end of the newest footage, epoch ms; null when there is none in the day. */
  lastRecordedAt: number | null;
  bytes: number;
};

export const OVERVIEW_WINDOW_MS = 24 * 60 * 60_000;

/**
 * One row per camera that records or has footage, in the configuration's order: a camera whose
 * recording was turned off still has footage to play until retention takes it.
 */
export function recordingsOverview(cameras: readonly PublicCamera[], footage: (camera: string) => RecordedFootage): RecordingsRow[] {
  return cameras.flatMap((camera) => {
    const { spans, bytes } = footage(camera.id);
    if (!camera.recording && bytes === 0) return [];
    const recordedMs = spans.reduce((sum, span) => sum + (span.end - span.start), 0);
    return [{ id: camera.id, name: camera.name, recording: camera.recording, recordedMs, lastRecordedAt: spans.at(-1)?.end ?? null, bytes }];
  });
}
