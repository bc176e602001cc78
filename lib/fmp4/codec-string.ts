/**
 * RFC 6381 codec strings, as MediaSource.isTypeSupported() and addSourceBuffer() want them, from
 * the decoder configuration records in the sample entry (not from the SPS: the record is what the
 * browser's demuxer checks the string against).
 */
import { Fmp4Error } from './fmp4-error';

const hex2 = (byte: number): string => byte.toString(16).toUpperCase().padStart(2, '0');

/**
 * `avc1.PPCCLL` (or avc3): profile_idc, the constraint-flags byte and level_idc of the
 * AVCDecoderConfigurationRecord, in hex (ISO/IEC 14496-15 / RFC 6381 §3.3).
 */
export function avcCodecString(fourcc: string, avcC: Uint8Array): string {
  if (avcC.length < 4) throw new Fmp4Error(`avcC is ${avcC.length} bytes, too short for a profile and level`);
  return `${fourcc}.${hex2(avcC[1] ?? 0)}${hex2(avcC[2] ?? 0)}${hex2(avcC[3] ?? 0)}`;
}

/**
 * `hvc1.1.6.L93.B0` (or hev1) per ISO/IEC 14496-15 Annex E, written the way hls.js, Shaka and
 * GPAC-derived tools write it, which Chromium and Safari accept:
 * - general_profile_space as '', A, B or C, then general_profile_idc in decimal;
 * - the 32 general_profile_compatibility_flags bit-reversed, in hex without leading zeros;
 * - L (main tier) or H (high tier), then general_level_idc in decimal (30 × the level);
 * - the six constraint-indicator bytes in hex, each without a leading zero, trailing zero bytes
 *   dropped (all six zero: no field at all).
 */
export function hevcCodecString(fourcc: string, hvcC: Uint8Array): string {
  if (hvcC.length < 13) throw new Fmp4Error(`hvcC is ${hvcC.length} bytes, too short for a profile, tier and level`);
  const data = new DataView(hvcC.buffer, hvcC.byteOffset, hvcC.byteLength);
  const profileByte = data.getUint8(1);
  const space = ['', 'A', 'B', 'C'][profileByte >> 6] ?? '';
  const tier = profileByte & 0x20 ? 'H' : 'L';
  const compatibility = reverseBits32(data.getUint32(2)).toString(16).toUpperCase();
  const constraints = Array.from(hvcC.subarray(6, 12));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const fields = [
    fourcc,
    `${space}${profileByte & 0x1f}`,
    compatibility,
    `${tier}${data.getUint8(12)}`,
    ...constraints.map((byte) => byte.toString(16).toUpperCase()),
  ];
  return fields.join('.');
}

function reverseBits32(value: number): number {
  let reversed = 0;
  for (let bit = 0; bit < 32; bit++) reversed = (reversed << 1) | ((value >>> bit) & 1);
  return reversed >>> 0;
}
