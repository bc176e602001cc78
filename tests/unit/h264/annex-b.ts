/**
 * The test side's own reading of an Annex-B stream (as ffmpeg's `-f h264` writes it): NAL units
 * between start codes, grouped into access units by the rules of H.264 §7.4.1.2.3, which x264's
 * output follows. Slow and simple: the reference the depacketizer's output is compared with.
 */

export function splitAnnexB(stream: Uint8Array): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  return starts.map((start, n) => {
    let end = n + 1 < starts.length ? starts[n + 1]! - 3 : stream.length;
    // The zero before a 4-byte start code, or trailing_zero_8bits, is not the NAL unit's.
    while (end > start && stream[end - 1] === 0) end -= 1;
    return stream.subarray(start, end);
  });
}

const type = (nal: Uint8Array) => nal[0]! & 0x1f;
const isSlice = (nal: Uint8Array) => type(nal) >= 1 && type(nal) <= 5;
// first_mb_in_slice is ue(v) at the payload's start: 0 is the single bit 1.
const firstSliceOfPicture = (nal: Uint8Array) => isSlice(nal) && (nal[1]! & 0x80) !== 0;
const opensUnit = (nal: Uint8Array) => [6, 7, 8, 9].includes(type(nal)) || (type(nal) >= 14 && type(nal) <= 18);

export type ReferenceUnit = { nalus: Uint8Array[]; keyframe: boolean };

export function accessUnits(stream: Uint8Array): ReferenceUnit[] {
  const units: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let sawSlice = false;
  for (const nal of splitAnnexB(stream)) {
    if (sawSlice && (opensUnit(nal) || firstSliceOfPicture(nal))) {
      units.push(current);
      current = [];
      sawSlice = false;
    }
    current.push(nal);
    sawSlice ||= isSlice(nal);
  }
  if (current.length > 0) units.push(current);
  return units.map((nalus) => ({ nalus, keyframe: nalus.some((nal) => type(nal) === 5) }));
}

/** Annex-B again, 4-byte start codes. */
export function joinAnnexB(nalus: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(nalus.reduce((sum, nal) => sum + 4 + nal.length, 0));
  let at = 0;
  for (const nal of nalus) {
    out.set([0, 0, 0, 1], at);
    out.set(nal, at + 4);
    at += 4 + nal.length;
  }
  return out;
}
