/**
 * The init segment (ftyp + moov) and what a player needs to know before the first fragment: the
 * codec string for MediaSource, the coded size, the timescale that fragments' decode times count
 * in, and the trex sample defaults that fragments may rely on instead of carrying their own.
 */
import { BoxView } from './box-view';
import { avcCodecString, hevcCodecString } from './codec-string';
import { concatBytes } from './concat-bytes';
import { Fmp4Error } from './fmp4-error';

/** A track's trex defaults: what a fragment's sample means when neither tfhd nor trun says. */
export type TrackDefaults = {
  sampleDescriptionIndex: number;
  sampleDuration: number;
  sampleSize: number;
  sampleFlags: number;
};

export type InitSegment = {
  /** ftyp then moov, ready to append to a SourceBuffer. */
  bytes: Uint8Array;
  /** RFC 6381, e.g. `avc1.42C01E`, `hvc1.1.6.L93.B0`; just the sample entry's four-character code for other codecs. */
  codec: string;
  /** `video/mp4; codecs="…"`, for MediaSource.isTypeSupported() and addSourceBuffer(). */
  mimeType: string;
  /** The coded size, from the visual sample entry. */
  width: number;
  height: number;
  /** mdhd's units per second: fragments' decode times and durations count in these. */
  timescale: number;
  /** The video track's ID, which the fragments' traf boxes name. */
  trackId: number;
  /** The video track's trex, if the moov has one (an fMP4 moov should). */
  defaults: TrackDefaults | undefined;
};

/**
 * Reads the first video track ('vide' handler) of a moov. `ftyp` may be absent (a moov repeated
 * without one); the init's bytes are then the moov alone.
 */
export function parseInitSegment(ftyp: Uint8Array | undefined, moovBytes: Uint8Array): InitSegment {
  const moov = BoxView.of(moovBytes);
  if (moov.type !== 'moov') throw new Fmp4Error(`expected a 'moov' box, got '${moov.type}'`);
  const trak = moov.children().find((box) => box.type === 'trak' && handlerOf(box) === 'vide');
  if (!trak) throw new Fmp4Error('the moov has no video track');

  const trackId = trackIdOf(trak.required('tkhd'));
  const mdia = trak.required('mdia');
  const timescale = timescaleOf(mdia.required('mdhd'));
  const entry = firstSampleEntry(mdia.required('minf').required('stbl').required('stsd'));
  const codec = codecOf(entry);
  return {
    bytes: ftyp ? concatBytes(ftyp, moovBytes) : moovBytes,
    codec,
    mimeType: `video/mp4; codecs="${codec}"`,
    // VisualSampleEntry: 6 reserved + 2 data_reference_index + 16 pre_defined/reserved, then width, height.
    width: entry.u16(24),
    height: entry.u16(26),
    timescale,
    trackId,
    defaults: trexOf(moov, trackId),
  };
}

function handlerOf(trak: BoxView): string | undefined {
  // hdlr: version/flags, pre_defined, then handler_type.
  return trak.child('mdia')?.child('hdlr')?.fourcc(8);
}

function trackIdOf(tkhd: BoxView): number {
  // After version/flags: creation and modification times, 32 or 64 bits each.
  return tkhd.u32(tkhd.version === 1 ? 20 : 12);
}

function timescaleOf(mdhd: BoxView): number {
  const timescale = mdhd.u32(mdhd.version === 1 ? 20 : 12);
  if (timescale === 0) throw new Fmp4Error("mdhd's timescale is 0");
  return timescale;
}

function firstSampleEntry(stsd: BoxView): BoxView {
  // Version/flags and entry_count precede the entries.
  const entry = stsd.children(8)[0];
  if (!entry) throw new Fmp4Error('stsd has no sample entry');
  return entry;
}

// The fixed part of a VisualSampleEntry; its child boxes (avcC, hvcC, pasp, btrt…) follow.
const VISUAL_SAMPLE_ENTRY_BYTES = 78;

function codecOf(entry: BoxView): string {
  switch (entry.type) {
    case 'avc1':
    case 'avc3':
      return avcCodecString(entry.type, entry.required('avcC', VISUAL_SAMPLE_ENTRY_BYTES).tail(0));
    case 'hvc1':
    case 'hev1':
      return hevcCodecString(entry.type, entry.required('hvcC', VISUAL_SAMPLE_ENTRY_BYTES).tail(0));
    default:
      return entry.type;
  }
}

function trexOf(moov: BoxView, trackId: number): TrackDefaults | undefined {
  const trex = moov
    .child('mvex')
    ?.children()
    .find((box) => box.type === 'trex' && box.u32(4) === trackId);
  if (!trex) return undefined;
  return {
    sampleDescriptionIndex: trex.u32(8),
    sampleDuration: trex.u32(12),
    sampleSize: trex.u32(16),
    sampleFlags: trex.u32(20),
  };
}
