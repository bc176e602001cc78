/**
 * Which fragments an export copies: from the keyframe at or before `from` to the fragment that
 * covers `to`, across segments, with each segment's decode times shifted so that they run on
 * without a jump (gaps between segments are closed up). One stream only: where the init segment
 * changes (the camera restarted with other settings) the export stops, and says so.
 */
import path from 'node:path';
import type { InitSegment } from '../fmp4/init-segment';
import type { ScanCache } from './scan-cache';
import type { SegmentFileScan } from './segment-file';
import type { SegmentIndex } from './segment-index';
import { clockOf, type Segment, type StoredFragment } from './types';

export type ExportPiece = {
  file: string;
  fragments: StoredFragment[];
  /** Added to each fragment's decode time (the track's timescale). */
  shift: number;
};

export type ExportPlan = {
  init: InitSegment;
  pieces: ExportPiece[];
  /** Clock times of the first fragment's start and the last one's end. */
  clockStart: number;
  clockEnd: number;
  /**
   * From the first keyframe to `from`: copied (the frames after need it) but marked to be skipped
   * by an edit list, so that the export plays from the moment asked, not up to a GOP before it.
   */
  preRollMs: number;
  /** Fragments copied (one frame each, as the live connection writes them). */
  fragmentCount: number;
  /** Why the export ends before `to`, when it does. */
  stoppedBecause: string | undefined;
};

/** The fragments of one segment that cover [from, to), from the keyframe at or before `from` (or its first). Pure. */
export function fragmentsWithin(segment: Pick<Segment, 'startedAt' | 'timescale' | 'mediaStart'>, fragments: readonly StoredFragment[], from: number, to: number): StoredFragment[] {
  const clock = (fragment: StoredFragment) => clockOf(segment, fragment.decodeTime);
  let first = -1;
  for (let i = 0; i < fragments.length; i += 1) {
    const fragment = fragments[i]!;
    if (!fragment.keyframe) continue;
    if (first >= 0 && clock(fragment) > from) break;
    first = i;
  }
  if (first < 0) return [];
  let end = first;
  while (end < fragments.length && clock(fragments[end]!) < to) end += 1;
  // A keyframe at or before `from` whose GOP ends before `from` (the file stops there): nothing of [from, to).
  const last = fragments[end - 1];
  if (!last || clockOf(segment, last.decodeTime + last.duration) <= from) return [];
  return fragments.slice(first, end);
}

export async function planExport(index: SegmentIndex, scans: ScanCache, dir: string, camera: string, from: number, to: number): Promise<ExportPlan | undefined> {
  let plan: ExportPlan | undefined;
  let decodeEnd = 0; // where the next piece's first fragment goes
  for (const segment of index.segments(camera, from, to)) {
    const file = path.join(dir, segment.path);
    const scan = await scans.scanIfReadable(file);
    if (!scan) continue;
    // After the first segment the footage starts at its first keyframe, whatever `from` said.
    const fragments = fragmentsWithin(segment, scan.fragments, plan ? clockOf(segment, scan.fragments[0]?.decodeTime ?? 0) : from, to);
    if (fragments.length === 0) continue;
    if (plan && !sameStream(plan.init, scan)) {
      plan.stoppedBecause = `the camera's stream changed at ${new Date(segment.startedAt).toISOString()} (now ${scan.init.codec} ${scan.init.width}x${scan.init.height}); the export ends there`;
      break;
    }
    const first = fragments[0]!;
    const last = fragments.at(-1)!;
    const shift = decodeEnd - first.decodeTime;
    decodeEnd = last.decodeTime + last.duration + shift;
    plan ??= { init: scan.init, pieces: [], clockStart: clockOf(segment, first.decodeTime), clockEnd: 0, preRollMs: 0, fragmentCount: 0, stoppedBecause: undefined };
    if (plan.pieces.length === 0) plan.preRollMs = preRollOf(segment, fragments, from);
    plan.pieces.push({ file, fragments, shift });
    plan.clockEnd = clockOf(segment, last.decodeTime + last.duration);
    plan.fragmentCount += fragments.length;
  }
  return plan;
}

/** From the first fragment to the frame showing at `from`, whole milliseconds down (so that frame stays in). */
function preRollOf(segment: Pick<Segment, 'startedAt' | 'timescale' | 'mediaStart'>, fragments: readonly StoredFragment[], from: number): number {
  const start = clockOf(segment, fragments[0]!.decodeTime);
  let shown = start;
  for (const fragment of fragments) {
    const clock = clockOf(segment, fragment.decodeTime);
    if (clock > from) break;
    shown = clock;
  }
  return Math.floor(shown - start);
}

function sameStream(init: InitSegment, scan: SegmentFileScan): boolean {
  return Buffer.from(init.bytes.buffer, init.bytes.byteOffset, init.bytes.byteLength).equals(scan.init.bytes);
}
