/**
 * H.264 NAL unit types (ITU-T H.264 Table 7-1, with the RTP payload types of RFC 6184 §5.4 that
 * share the same 5-bit field) and the helpers every reader of NAL units needs.
 */

export const NalType = {
  NonIdrSlice: 1,
  SlicePartitionA: 2,
  SlicePartitionB: 3,
  SlicePartitionC: 4,
  Idr: 5,
  Sei: 6,
  Sps: 7,
  Pps: 8,
  Aud: 9,
  EndOfSequence: 10,
  EndOfStream: 11,
  Filler: 12,
  SpsExtension: 13,
  Prefix: 14,
  SubsetSps: 15,
  // RFC 6184: only in RTP payloads, never in a stream.
  StapA: 24,
  StapB: 25,
  Mtap16: 26,
  Mtap24: 27,
  FuA: 28,
  FuB: 29,
} as const;

/** The type field of a NAL unit's header byte; 0 (unspecified) for an empty one. */
export function nalType(nal: Uint8Array): number {
  return nal.length === 0 ? 0 : nal[0]! & 0x1f;
}

/** Types 1–5: coded slices, the NAL units that carry the picture. */
export function isSliceType(type: number): boolean {
  return type >= NalType.NonIdrSlice && type <= NalType.Idr;
}

/**
 * The RBSP of a NAL unit: each 00 00 03 with its 03 dropped (H.264 §7.4.1). Returns `nal` itself
 * when there is nothing to drop, which is the common case for parameter sets.
 */
export function removeEmulationPrevention(nal: Uint8Array): Uint8Array {
  const first = firstEmulationPrevention(nal);
  if (first < 0) return nal;
  const rbsp = new Uint8Array(nal.length - 1);
  rbsp.set(nal.subarray(0, first));
  let written = first;
  let zeros = 0;
  for (let i = first + 1; i < nal.length; i++) {
    const byte = nal[i]!;
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    rbsp[written++] = byte;
  }
  return rbsp.subarray(0, written);
}

function firstEmulationPrevention(nal: Uint8Array): number {
  for (let i = 2; i < nal.length; i++) {
    if (nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) return i;
  }
  return -1;
}
