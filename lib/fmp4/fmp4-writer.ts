/**
 * Fragmented MP4 written from H.264 access units, as ffmpeg's
 * `-movflags +frag_every_frame+empty_moov+default_base_moof` writes it, for cameras whose RTP the
 * server reads itself: an init segment with one video track and no samples, then one moof+mdat
 * per frame. The Fmp4Reader reads it back as it reads ffmpeg's; browsers' MSE take it as is.
 */
import { parseSps } from '../h264/sps';
import { avcDecoderConfiguration } from './avc-decoder-configuration';
import { Fmp4Error } from './fmp4-error';
import { concatBytes } from './concat-bytes';

export type VideoTrackSetup = { sps: Uint8Array; pps: Uint8Array; /** 90000 for RTP */ timescale: number };

export type FragmentSample = {
  sequenceNumber: number;
  /** In the track's timescale; may exceed 2^32 (a 90 kHz clock does after 13 hours), so tfdt is 64-bit. */
  decodeTime: number;
  duration: number;
  keyframe: boolean;
  /** Without start codes; each is written after a 4-byte length, as avcC's lengthSizeMinusOne says. */
  nalus: readonly Uint8Array[];
};

const TRACK_ID = 1;
const MAX_U32 = 0xffff_ffff;

/** ftyp + moov: the track's codec and size, no samples (they all come in fragments), and its trex. */
export function writeInitSegment(setup: VideoTrackSetup): Uint8Array {
  const { sps, pps, timescale } = setup;
  if (!Number.isInteger(timescale) || timescale <= 0 || timescale > MAX_U32) throw new Fmp4Error(`a timescale of ${timescale} is not a positive 32-bit integer`);
  const { width, height } = parseSps(sps);

  // iso5 for default-base-is-moof and empty moov, as ffmpeg brands that output and Chromium accepts.
  const ftyp = box('ftyp', fourcc('iso5'), u32(512), fourcc('iso5'), fourcc('iso6'), fourcc('mp41'));
  const mvhd = fullBox('mvhd', 0, 0, u32(0), u32(0), u32(1000), u32(0), u32(0x0001_0000), u16(0x0100), zeros(10), UNITY_MATRIX, zeros(24), u32(TRACK_ID + 1));
  // flags: track_enabled | track_in_movie. Width and height are 16.16 fixed point.
  const tkhd = fullBox('tkhd', 0, 3, u32(0), u32(0), u32(TRACK_ID), u32(0), u32(0), zeros(8), zeros(8), UNITY_MATRIX, u32(width * 0x10000), u32(height * 0x10000));
  // language 'und', packed as three 5-bit letters.
  const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(0), u16(0x55c4), u16(0));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), fourcc('vide'), zeros(12), ascii('VideoHandler\0'));
  const vmhd = fullBox('vmhd', 0, 1, zeros(8));
  // One data reference, flag 1: the samples are in this file.
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const avc1 = box(
    'avc1',
    zeros(6),
    u16(1), // data_reference_index
    zeros(16),
    u16(width),
    u16(height),
    u32(0x0048_0000), // 72 dpi
    u32(0x0048_0000),
    u32(0),
    u16(1), // frame_count
    zeros(32), // compressorname
    u16(0x0018), // depth: colour
    u16(0xffff), // pre_defined = -1
    box('avcC', avcDecoderConfiguration(sps, pps)),
  );
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), avc1),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0), u32(0)),
    fullBox('stco', 0, 0, u32(0)),
  );
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, stbl)));
  const trex = fullBox('trex', 0, 0, u32(TRACK_ID), u32(1), u32(0), u32(0), u32(0));
  return concatBytes(ftyp, box('moov', mvhd, trak, box('mvex', trex)));
}

// The moof of a one-sample fragment and the mdat's header are the same bytes every time but for
// six fields, so they are kept ready and copied; the offsets below are those fields' places.
// tfhd flags: default-base-is-moof, so the trun's data offset counts from the moof's start.
// trun flags: data-offset, sample-duration, sample-size and sample-flags present.
const FRAGMENT_HEADER = concatBytes(
  box(
    'moof',
    fullBox('mfhd', 0, 0, u32(0)),
    box('traf', fullBox('tfhd', 0, 0x02_0000, u32(TRACK_ID)), fullBox('tfdt', 1, 0, u32(0), u32(0)), fullBox('trun', 0, 0x701, u32(1), u32(0), u32(0), u32(0), u32(0))),
  ),
  box('mdat'),
);
const SEQUENCE_AT = 20;
const DECODE_TIME_AT = 60;
const DATA_OFFSET_AT = 84;
const DURATION_AT = 88;
const SAMPLE_SIZE_AT = 92;
const SAMPLE_FLAGS_AT = 96;
const MDAT_AT = 100;
// The sample's data starts right after the mdat's header, at the same place in every fragment.
putU32(FRAGMENT_HEADER, DATA_OFFSET_AT, FRAGMENT_HEADER.length);

// ISO/IEC 14496-12 §8.8.3.1 sample flags, as ffmpeg writes them: a keyframe depends on no other
// sample (sample_depends_on 2); any other frame is non-sync and depends on others (1).
const KEYFRAME_FLAGS = 0x0200_0000;
const DEPENDENT_FLAGS = 0x0101_0000;

/** moof + mdat for one frame, in one allocation: every frame of every camera goes through here. */
export function writeMediaFragment(sample: FragmentSample): Uint8Array {
  const { sequenceNumber, decodeTime, duration, nalus } = sample;
  if (!Number.isSafeInteger(decodeTime) || decodeTime < 0) throw new Fmp4Error(`a decode time of ${decodeTime} is not a whole number of at least 0`);
  if (!isU32(duration)) throw new Fmp4Error(`a sample duration of ${duration} is not a 32-bit whole number`);
  if (!isU32(sequenceNumber)) throw new Fmp4Error(`a sequence number of ${sequenceNumber} is not a 32-bit whole number`);

  let sampleSize = 0;
  for (let i = 0; i < nalus.length; i++) sampleSize += 4 + nalus[i]!.length;
  if (sampleSize === 0) throw new Fmp4Error('a sample needs at least one NAL unit');
  const total = FRAGMENT_HEADER.length + sampleSize;
  if (total > MAX_U32) throw new Fmp4Error(`a sample of ${sampleSize} bytes does not fit a 32-bit mdat`);

  const bytes = new Uint8Array(total);
  bytes.set(FRAGMENT_HEADER);
  putU32(bytes, SEQUENCE_AT, sequenceNumber);
  putU32(bytes, DECODE_TIME_AT, Math.floor(decodeTime / 0x1_0000_0000));
  putU32(bytes, DECODE_TIME_AT + 4, decodeTime % 0x1_0000_0000);
  putU32(bytes, DURATION_AT, duration);
  putU32(bytes, SAMPLE_SIZE_AT, sampleSize);
  putU32(bytes, SAMPLE_FLAGS_AT, sample.keyframe ? KEYFRAME_FLAGS : DEPENDENT_FLAGS);
  putU32(bytes, MDAT_AT, 8 + sampleSize);

  let at = FRAGMENT_HEADER.length;
  for (let i = 0; i < nalus.length; i++) {
    const nal = nalus[i]!;
    putU32(bytes, at, nal.length);
    bytes.set(nal, at + 4);
    at += 4 + nal.length;
  }
  return bytes;
}

const isU32 = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= MAX_U32;

function putU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}

// Box building for the init segment and the fragment template, done once per stream: clarity over
// speed. Function declarations, hoisted, so the template above can be built as the module loads.

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((sum, part) => sum + part.length, 0);
  return concatBytes(u32(size), fourcc(type), ...payload);
}

function fullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Uint8Array {
  return box(type, u32(((version << 24) | flags) >>> 0), ...payload);
}


function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  putU32(bytes, 0, value);
  return bytes;
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value >>> 8, value & 0xff);
}

function zeros(length: number): Uint8Array {
  return new Uint8Array(length);
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (letter) => letter.charCodeAt(0));
}

function fourcc(type: string): Uint8Array {
  if (type.length !== 4) throw new Fmp4Error(`'${type}' is not a four-character code`);
  return ascii(type);
}

const UNITY_MATRIX = concatBytes(u32(0x0001_0000), u32(0), u32(0), u32(0), u32(0x0001_0000), u32(0), u32(0), u32(0), u32(0x4000_0000));
