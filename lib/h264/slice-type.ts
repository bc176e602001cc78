/**
 * Whether a coded slice is a B slice, read from the start of its slice header (H.264 §7.3.3).
 *
 * camdash's own RTSP client takes each frame's decode time from its RTP timestamp, which is the
 * frame's presentation time. That holds only when frames are decoded in the order they are shown:
 * B-frames are sent before the frames they are shown after, so a stream with them needs reordered
 * decode times and a composition offset per sample, which the RTP clock does not give. Finding a
 * B slice is how the client knows to hand the camera to ffmpeg. It runs for every frame, so it
 * reads only the first bytes, and copies them only when they hold emulation prevention.
 */
import { RbspReader } from './bit-reader';
import { H264Error } from './h264-error';
import { NalType, removeEmulationPrevention } from './nal-unit';

// The header byte, then first_mb_in_slice and slice_type: two ue(v), 35 and 7 bits at most in a
// real stream (level 6.2's largest picture), 63 and 7 as the reader takes them, with room for the
// emulation prevention bytes among them.
const HEADER_BYTES = 1 + 16;
// first_mb_in_slice is bounded only by the reader (32 bits): the picture size is in the SPS, which
// this does not see.
const MAX_FIRST_MB = 0xffff_ffff;
// slice_type 0–4, or 5–9 when every slice of the picture has the same type (Table 7-6).
const MAX_SLICE_TYPE = 9;
const B_SLICE = 1;

/**
 * For a non-IDR or IDR slice (NAL types 1 and 5), whether its slice_type is B (1 or 6); false for
 * any other NAL unit, and for a slice header too short or corrupt to say.
 */
export function isBidirectionalSlice(nal: Uint8Array): boolean {
  if (nal.length < 2) return false;
  const type = nal[0]! & 0x1f;
  if (type !== NalType.NonIdrSlice && type !== NalType.Idr) return false;
  const bits = new RbspReader(removeEmulationPrevention(nal.length > HEADER_BYTES ? nal.subarray(0, HEADER_BYTES) : nal), 1, 'the slice header');
  try {
    bits.ue('first_mb_in_slice', MAX_FIRST_MB);
    return bits.ue('slice_type', MAX_SLICE_TYPE) % 5 === B_SLICE;
  } catch (error) {
    if (error instanceof H264Error) return false;
    throw error;
  }
}
