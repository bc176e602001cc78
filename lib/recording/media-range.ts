/**
 * What the playback page gets for a moment: the segment's init segment, then its fragments from
 * the keyframe at or before that moment, in whole GOPs up to about MAX_MEDIA_MS, so that a response
 * is bounded and the next request (at X-Next, the start of the next keyframe) picks up exactly
 * where this one ended.
 */
import path from 'node:path';
import { NEAR_MS, type SegmentIndex } from './segment-index';
import type { SegmentFileScan } from './segment-file';
import type { ScanCache } from './scan-cache';
import { clockOf, SPAN_JOIN_GAP_MS, type Segment, type StoredFragment } from './types';

/** A response holds whole GOPs until this much media, then ends before the next keyframe. */
export const MAX_MEDIA_MS = 20_000;

export type PickedFragments = {
  /** Indexes into the scan's fragments: [first, end). */
  first: number;
  end: number;
  clockStart: number;
  clockEnd: number;
  /** The first fragment's decode time, in seconds. */
  mediaStart: number;
  /** The last fragment returned is the last the file holds now. */
  reachesFileEnd: boolean;
};

/** The fragments of one segment to send for `at`; undefined when the file holds nothing at or after it. Pure. */
export function pickFragments(
  segment: Pick<Segment, 'startedAt' | 'timescale' | 'mediaStart' | 'open'>,
  fragments: readonly StoredFragment[],
  at: number,
  maxMediaMs = MAX_MEDIA_MS,
): PickedFragments | undefined {
  const last = fragments.at(-1);
  if (!last) return undefined;
  const clock = (fragment: StoredFragment) => clockOf(segment, fragment.decodeTime);
  const fileEnd = clockOf(segment, last.decodeTime + last.duration);
  if (at >= fileEnd) return undefined;
  let first = -1;
  for (let i = 0; i < fragments.length; i += 1) {
    const fragment = fragments[i]!;
    if (!fragment.keyframe) continue;
    if (first >= 0 && clock(fragment) > at) break;
    first = i;
  }
  if (first < 0) return undefined; // no keyframe to start a decoder on
  const clockStart = clock(fragments[first]!);
  let end = first + 1;
  while (end < fragments.length && !(fragments[end]!.keyframe && clock(fragments[end]!) - clockStart >= maxMediaMs)) end += 1;
  if (segment.open && end === fragments.length) {
    // The file grows: its last GOP is not whole yet. Stopping before it lets the next request
    // start on its keyframe instead of sending the GOP's first frames twice.
    const lastKeyframe = fragments.findLastIndex((fragment, i) => i > first && fragment.keyframe);
    if (lastKeyframe > first) end = lastKeyframe;
  }
  const reachesFileEnd = end === fragments.length;
  return {
    first,
    end,
    clockStart,
    clockEnd: reachesFileEnd ? fileEnd : clock(fragments[end]!),
    mediaStart: fragments[first]!.decodeTime / segment.timescale,
    reachesFileEnd,
  };
}

export type MediaRange = PickedFragments & {
  segment: Segment;
  scan: SegmentFileScan;
  file: string;
  /** Where the player asks next; undefined at the end of a span. */
  next: number | undefined;
};

// A segment whose file ends before `at` hands on to the next; never more than a few in a row.
const MAX_HOPS = 4;

/** The media for `at` of `camera`, from the index and the files; undefined when nothing is recorded near it. */
export async function findMediaRange(index: SegmentIndex, scans: ScanCache, dir: string, camera: string, at: number): Promise<MediaRange | undefined> {
  let segment = index.segmentAt(camera, at);
  for (let hop = 0; segment && hop < MAX_HOPS; hop += 1) {
    const file = path.join(dir, segment.path);
    const scan = await scans.scanIfReadable(file);
    const picked = scan && pickFragments(segment, scan.fragments, at);
    if (picked) return { ...picked, segment, scan, file, next: nextAsk(index, segment, picked) };
    // The row says it reaches `at`, its file does not (rounding, or a file cut short): the next one, if it is near.
    const following = index.following(segment);
    segment = following && following.startedAt <= at + NEAR_MS ? following : undefined;
  }
  return undefined;
}

function nextAsk(index: SegmentIndex, segment: Segment, picked: PickedFragments): number | undefined {
  // Rounded up: the next request's keyframe at or before it is then the one this response stopped before.
  const next = Math.ceil(picked.clockEnd);
  if (!picked.reachesFileEnd || segment.open) return next;
  const following = index.following(segment);
  return following && following.startedAt - picked.clockEnd < SPAN_JOIN_GAP_MS ? next : undefined;
}
