/**
 * One media fragment (a moof and the mdat after it) and what a relay needs to know of it without
 * decoding: whether a new viewer can start on it (its first sample is a sync sample), when it
 * starts (tfdt) and, where the boxes say so cheaply, how many samples it holds and for how long.
 */
import { BoxView } from './box-view';
import { concatBytes } from './concat-bytes';
import { Fmp4Error } from './fmp4-error';
import type { TrackDefaults } from './init-segment';

export type MediaFragment = {
  /** moof then mdat, ready to append to a SourceBuffer after the init segment. */
  bytes: Uint8Array;
  /** mfhd's sequence number. */
  sequenceNumber: number;
  trackId: number;
  /** The first sample is a sync sample: a decoder can start here. */
  keyframe: boolean;
  /** tfdt's baseMediaDecodeTime, in the init segment's timescale. */
  decodeTime: number;
  sampleCount: number;
  /** The samples' total duration in the timescale; undefined when neither the boxes nor the trex give one. */
  duration: number | undefined;
};

/** The track a fragment is read for: the init segment's video track. */
export type FragmentTrack = { trackId: number; defaults: TrackDefaults | undefined };

// ISO/IEC 14496-12 sample flags.
const SAMPLE_IS_NON_SYNC = 0x00010000;
const DEPENDS_ON_OTHERS = 1;

// tfhd flags.
const BASE_DATA_OFFSET = 0x1;
const SAMPLE_DESCRIPTION_INDEX = 0x2;
const DEFAULT_DURATION = 0x8;
const DEFAULT_SIZE = 0x10;
const DEFAULT_FLAGS = 0x20;

// trun flags.
const DATA_OFFSET = 0x1;
const FIRST_SAMPLE_FLAGS = 0x4;
const SAMPLE_DURATION = 0x100;
const SAMPLE_SIZE = 0x200;
const SAMPLE_FLAGS = 0x400;
const SAMPLE_COMPOSITION_OFFSET = 0x800;

/**
 * A sync sample is one whose sample_is_non_sync_sample bit is clear. sample_depends_on only vetoes:
 * a sample that says it depends on others (1) is not one a decoder can start on, whatever its
 * sync bit says; 2 (depends on none) and 0 (unknown) leave the sync bit to decide, as writers
 * that set only that bit (or nothing: all-zero flags mean sync) intend.
 */
export function isSyncSample(flags: number): boolean {
  const dependsOn = (flags >>> 24) & 0x3;
  return (flags & SAMPLE_IS_NON_SYNC) === 0 && dependsOn !== DEPENDS_ON_OTHERS;
}

/**
 * Reads a moof for `track` (or, without one, its first traf). Returns undefined when the moof
 * carries nothing of `track` (a fragment of another track).
 *
 * The first sample's flags come from the first of: trun first_sample_flags, trun per-sample flags
 * of sample 0, tfhd default_sample_flags, the trex defaults; with none of them, 0 (sync), which
 * is what an absent trex's fields would be.
 */
export function parseMediaFragment(moofBytes: Uint8Array, mdatBytes: Uint8Array, track?: FragmentTrack): MediaFragment | undefined {
  const moof = BoxView.of(moofBytes);
  if (moof.type !== 'moof') throw new Fmp4Error(`expected a 'moof' box, got '${moof.type}'`);
  const sequenceNumber = moof.required('mfhd').u32(4);
  const trafs = moof.children().filter((box) => box.type === 'traf');
  const traf = track ? trafs.find((box) => box.required('tfhd').u32(4) === track.trackId) : trafs[0];
  if (!traf) {
    if (track) return undefined;
    throw new Fmp4Error(`moof ${sequenceNumber} has no traf`);
  }

  const tfhd = readTfhd(traf.required('tfhd'), track?.defaults);
  const tfdt = traf.child('tfdt');
  if (!tfdt) throw new Fmp4Error(`moof ${sequenceNumber} has no tfdt: without a decode time a fragment cannot be placed`);
  const runs = traf
    .children()
    .filter((box) => box.type === 'trun')
    .map((box) => readTrun(box, tfhd.defaultDuration));

  const first = runs.find((run) => run.sampleCount > 0);
  const firstFlags = first?.firstSampleFlags ?? tfhd.defaultFlags ?? 0;
  let duration: number | undefined = 0;
  for (const run of runs) duration = run.duration === undefined || duration === undefined ? undefined : duration + run.duration;

  return {
    bytes: concatBytes(moofBytes, mdatBytes),
    sequenceNumber,
    trackId: tfhd.trackId,
    keyframe: first !== undefined && isSyncSample(firstFlags),
    decodeTime: tfdt.version === 1 ? tfdt.u64(4) : tfdt.u32(4),
    sampleCount: runs.reduce((sum, run) => sum + run.sampleCount, 0),
    duration,
  };
}

type Tfhd = { trackId: number; defaultDuration: number | undefined; defaultFlags: number | undefined };

function readTfhd(tfhd: BoxView, trex: TrackDefaults | undefined): Tfhd {
  const flags = tfhd.flags;
  let at = 8; // version/flags, track_ID
  if (flags & BASE_DATA_OFFSET) at += 8;
  if (flags & SAMPLE_DESCRIPTION_INDEX) at += 4;
  let defaultDuration = trex?.sampleDuration;
  if (flags & DEFAULT_DURATION) {
    defaultDuration = tfhd.u32(at);
    at += 4;
  }
  if (flags & DEFAULT_SIZE) at += 4;
  const defaultFlags = flags & DEFAULT_FLAGS ? tfhd.u32(at) : trex?.sampleFlags;
  return { trackId: tfhd.u32(4), defaultDuration, defaultFlags };
}

type Trun = { sampleCount: number; firstSampleFlags: number | undefined; duration: number | undefined };

function readTrun(trun: BoxView, defaultDuration: number | undefined): Trun {
  const flags = trun.flags;
  const sampleCount = trun.u32(4);
  let at = 8; // version/flags, sample_count
  if (flags & DATA_OFFSET) at += 4;
  let firstSampleFlags: number | undefined;
  if (flags & FIRST_SAMPLE_FLAGS) {
    firstSampleFlags = trun.u32(at);
    at += 4;
  }

  const fields = [SAMPLE_DURATION, SAMPLE_SIZE, SAMPLE_FLAGS, SAMPLE_COMPOSITION_OFFSET].filter((field) => flags & field);
  const recordBytes = 4 * fields.length;
  // Checked up front so a corrupt sample_count cannot make the loop below run for billions of samples.
  if (recordBytes * sampleCount > trun.size - at) {
    throw new Fmp4Error(`trun declares ${sampleCount} samples of ${recordBytes} bytes, more than its ${trun.size} bytes hold`);
  }
  if (sampleCount > 0 && firstSampleFlags === undefined && flags & SAMPLE_FLAGS) {
    firstSampleFlags = trun.u32(at + 4 * fields.indexOf(SAMPLE_FLAGS));
  }

  let duration: number | undefined;
  if (flags & SAMPLE_DURATION) {
    duration = 0;
    for (let i = 0; i < sampleCount; i++) duration += trun.u32(at + i * recordBytes);
  } else if (defaultDuration !== undefined) {
    duration = defaultDuration * sampleCount;
  }
  return { sampleCount, firstSampleFlags, duration };
}
