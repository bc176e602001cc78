/**
 * The recording's shared contract: what a segment file holds, what its index row says, and how a
 * moment of the clock maps into a file. The recorder writes it; the index, the reconciler, the
 * media and export routes and the playback page read it.
 *
 * A segment file is fragmented MP4 exactly as the camera's one connection gives it (no re-encode):
 * the init segment (ftyp + moov) at byte 0, then fragments (moof + mdat, one per frame), the first
 * of them a keyframe. Fragments are written as they arrive, so a kill -9 or a power cut loses at
 * most the last second or two, and a file cut short ends at its last whole fragment.
 *
 * Times are the server's clock, UTC, in epoch milliseconds. A segment's `startedAt` is when its
 * first fragment arrived, moved back as far as a later fragment shows it came late (no fragment
 * arrives before its clock time); a fragment's clock time is
 *   startedAt + (decodeTime - mediaStart) / timescale * 1000
 * so that within a segment the camera's own frame timing is kept, and each segment is re-anchored
 * to the server's clock (a camera's clock drifts).
 *
 * Files live at `<recordings dir>/<camera id>/<YYYY-MM-DD>/<YYYY-MM-DDTHH-MM-SS-mmmZ>.mp4` (UTC);
 * the name is the `startedAt` the segment began with, so a file whose row was lost can be indexed
 * again (a little late, when its start was moved back).
 */

/** A segment as the index keeps it. */
export type Segment = {
  id: number;
  camera: string;
  /** Relative to the recordings directory, '/'-separated. */
  path: string;
  startedAt: number;
  /** The end of its last fragment; while it is written, updated every few seconds. */
  endedAt: number;
  /** Still being written by this process (or, at start-up, by one that crashed). */
  open: boolean;
  bytes: number;
  /** RFC 6381 codec string from the init segment, e.g. avc1.64001f. */
  codec: string;
  width: number;
  height: number;
  /** The init segment's timescale, and the first fragment's decode time in it. */
  timescale: number;
  mediaStart: number;
  /** Bytes of the init segment at the start of the file. */
  initBytes: number;
};

export type NewSegment = Omit<Segment, 'id' | 'open' | 'endedAt' | 'bytes'> & { endedAt?: number; bytes?: number };

/** A stretch of time with footage, in epoch ms. Segments less than SPAN_JOIN_GAP_MS apart are one span. */
export type Span = { start: number; end: number };

/**
 * The cuts of one connection are a frame or so apart (each segment's start is its keyframe's
 * arrival); a reconnect takes at least the 1 s restart delay, and must show as the gap it is.
 */
export const SPAN_JOIN_GAP_MS = 500;

/** One fragment of a segment file, as read back from the file. */
export type StoredFragment = {
  offset: number;
  size: number;
  decodeTime: number;
  /** In the timescale; the next fragment's decode time minus this one's where the boxes give none. */
  duration: number;
  keyframe: boolean;
};

/** Why a camera is not recording now, for its status; undefined while it records. */
export type RecordingStatus = {
  mode: 'continuous' | 'motion' | 'off';
  /** Writing now. */
  active: boolean;
  /** Why not, in words a user can act on (disk full, not H.264, the camera is down, ...). */
  reason: string | undefined;
  /** Fragments dropped because the disk could not keep up, since start. */
  droppedFragments: number;
  bytesWritten: number;
};

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The file of a segment of `camera` that starts at `startedAt`, relative to the recordings directory. */
export function segmentPath(camera: string, startedAt: number): string {
  const time = new Date(startedAt);
  const day = `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}-${pad(time.getUTCDate())}`;
  const clock = `${pad(time.getUTCHours())}-${pad(time.getUTCMinutes())}-${pad(time.getUTCSeconds())}-${pad(time.getUTCMilliseconds(), 3)}`;
  return `${camera}/${day}/${day}T${clock}Z.mp4`;
}

const SEGMENT_NAME = /^([a-z0-9][a-z0-9_-]{0,63})\/(\d{4})-(\d{2})-(\d{2})\/\2-\3-\4T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.mp4$/;

/** The camera and start time a segment path names; undefined for a path that is not one of ours. */
export function parseSegmentPath(relative: string): { camera: string; startedAt: number } | undefined {
  const match = SEGMENT_NAME.exec(relative);
  if (!match) return undefined;
  const [, camera, year, month, day, hours, minutes, seconds, millis] = match;
  const startedAt = Date.UTC(+year!, +month! - 1, +day!, +hours!, +minutes!, +seconds!, +millis!);
  return segmentPath(camera!, startedAt) === relative ? { camera: camera!, startedAt } : undefined;
}

/** The clock time of a decode time within a segment. */
export function clockOf(segment: Pick<Segment, 'startedAt' | 'timescale' | 'mediaStart'>, decodeTime: number): number {
  return segment.startedAt + ((decodeTime - segment.mediaStart) / segment.timescale) * 1000;
}
