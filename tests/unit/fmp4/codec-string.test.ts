import { describe, expect, it } from 'vitest';
import { avcCodecString, hevcCodecString } from '@/lib/fmp4/codec-string';
import { Fmp4Error } from '@/lib/fmp4/fmp4-error';
import { concat, u32, u8 } from './box-builder';

/** An HEVCDecoderConfigurationRecord's first 13 bytes (all the codec string reads), then padding. */
function hvcC(profileByte: number, compatibility: number, constraints: number[], level: number): Uint8Array {
  return concat(u8(1), u8(profileByte), u32(compatibility), Uint8Array.from(constraints), u8(level), new Uint8Array(10));
}

describe('avcCodecString', () => {
  it('writes profile, constraint flags and level as six uppercase hex digits', () => {
    expect(avcCodecString('avc1', Uint8Array.of(1, 0x42, 0xc0, 0x1e, 0xff))).toBe('avc1.42C01E');
    expect(avcCodecString('avc3', Uint8Array.of(1, 0x64, 0x00, 0x0b))).toBe('avc3.64000B');
  });

  it('throws Fmp4Error for a record too short to hold them', () => {
    expect(() => avcCodecString('avc1', Uint8Array.of(1, 0x42, 0xc0))).toThrow(Fmp4Error);
  });
});

describe('hevcCodecString', () => {
  it('writes Main as browsers expect it: hvc1.1.6.L93.B0', () => {
    // Compatible with profiles 1 and 2 (flags bits 30, 29 from the top), level 3.1 (93).
    expect(hevcCodecString('hvc1', hvcC(0x01, 0x60000000, [0xb0, 0, 0, 0, 0, 0], 93))).toBe('hvc1.1.6.L93.B0');
  });

  it('writes the high tier, Main 10, and the compatibility flags bit-reversed', () => {
    expect(hevcCodecString('hev1', hvcC(0x20 | 2, 0x20000000, [0xb0, 0, 0, 0, 0, 0], 120))).toBe('hev1.2.4.H120.B0');
  });

  it('writes profile space 1 to 3 as A to C, and keeps constraint bytes up to the last non-zero one', () => {
    // Flags 0 and 6 (bits 31 and 25) reversed are bits 0 and 6: 0x41.
    expect(hevcCodecString('hev1', hvcC(0x40 | 0x20 | 4, 0x82000000, [0xb0, 0x23, 0, 0, 0, 0], 120))).toBe('hev1.A4.41.H120.B0.23');
    expect(hevcCodecString('hvc1', hvcC(0xc0 | 1, 0x40000000, [0x90, 0, 0x08, 0, 0, 0], 60))).toBe('hvc1.C1.2.L60.90.0.8');
  });

  it('leaves the constraint field out when all six bytes are zero', () => {
    expect(hevcCodecString('hvc1', hvcC(0x01, 0x60000000, [0, 0, 0, 0, 0, 0], 93))).toBe('hvc1.1.6.L93');
  });

  it('throws Fmp4Error for a record too short to hold the level', () => {
    expect(() => hevcCodecString('hvc1', hvcC(0x01, 0x60000000, [0xb0, 0, 0, 0, 0, 0], 93).subarray(0, 12))).toThrow(/fmp4: hvcC is 12 bytes/);
  });
});
