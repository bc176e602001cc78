import { CAMERA_ID } from '../config/schema';
import { RecordingError } from './recording-error';
import { parseSegmentPath, type NewSegment, type Segment } from './types';

/** A segments row as SQLite gives it. */
export type SegmentRow = {
  id: number;
  camera: string;
  path: string;
  started_at: number;
  ended_at: number;
  open: 0 | 1;
  bytes: number;
  codec: string;
  width: number;
  height: number;
  timescale: number;
  media_start: number;
  init_bytes: number;
};

export function segmentFromRow(row: SegmentRow): Segment {
  return {
    id: row.id,
    camera: row.camera,
    path: row.path,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    open: row.open === 1,
    bytes: row.bytes,
    codec: row.codec,
    width: row.width,
    height: row.height,
    timescale: row.timescale,
    mediaStart: row.media_start,
    initBytes: row.init_bytes,
  };
}

/** The statement's parameters for a new row, checked: the routes later open `path`, so it must be one of ours, for its camera and start. */
export function checkedNewSegment(segment: NewSegment) {
  const { camera, path, codec } = segment;
  if (typeof camera !== 'string' || !CAMERA_ID.test(camera)) throw new RecordingError(`a segment needs a camera id (got ${JSON.stringify(camera)})`);
  const startedAt = wholeTime(segment.startedAt, 'startedAt');
  const named = typeof path === 'string' ? parseSegmentPath(path) : undefined;
  if (!named || named.camera !== camera || named.startedAt !== startedAt) {
    throw new RecordingError(`segment path ${JSON.stringify(path)} is not the file of camera ${camera} starting at ${startedAt}`);
  }
  const count = (value: number | undefined, name: string, min: number) => {
    if (!(Number.isSafeInteger(value) && value! >= min)) throw new RecordingError(`segment ${path}: ${name} must be a whole number, ${min} or more (got ${value})`);
    return value!;
  };
  if (typeof codec !== 'string' || codec === '') throw new RecordingError(`segment ${path}: codec must be a codec string`);
  return {
    camera,
    path,
    startedAt,
    endedAt: Math.max(startedAt, wholeTime(segment.endedAt ?? startedAt, 'endedAt')),
    bytes: count(segment.bytes ?? segment.initBytes, 'bytes', 0),
    codec,
    width: count(segment.width, 'width', 0),
    height: count(segment.height, 'height', 0),
    timescale: count(segment.timescale, 'timescale', 1),
    mediaStart: count(segment.mediaStart, 'mediaStart', 0),
    initBytes: count(segment.initBytes, 'initBytes', 0),
  };
}

/** A time in epoch ms, rounded to the millisecond the index keeps. */
export function wholeTime(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0 && value < 8.64e15)) throw new RecordingError(`${name} must be a time in epoch milliseconds (got ${value})`);
  return Math.round(value);
}
