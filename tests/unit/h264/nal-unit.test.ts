import { describe, expect, it } from 'vitest';
import { NalType, isSliceType, nalType, removeEmulationPrevention } from '@/lib/h264/nal-unit';

describe('nalType', () => {
  it('reads the low five bits of the header byte, 0 for an empty unit', () => {
    expect(nalType(Uint8Array.of(0x67, 0x42))).toBe(NalType.Sps);
    expect(nalType(Uint8Array.of(0x65))).toBe(NalType.Idr);
    expect(nalType(Uint8Array.of(0x7c, 0x85))).toBe(NalType.FuA);
    expect(nalType(new Uint8Array(0))).toBe(0);
    expect([1, 2, 3, 4, 5].every(isSliceType)).toBe(true);
    expect([0, 6, 7, 8, 9, 24, 28].some(isSliceType)).toBe(false);
  });
});

describe('removeEmulationPrevention', () => {
  it('drops the 03 of each 00 00 03, and only that one', () => {
    const escaped = Uint8Array.of(0x67, 0, 0, 3, 1, 0, 0, 3, 0, 5, 0, 0, 3, 3, 0, 3);
    expect(removeEmulationPrevention(escaped)).toEqual(Uint8Array.of(0x67, 0, 0, 1, 0, 0, 0, 5, 0, 0, 3, 0, 3));
  });

  it('restarts counting zeros after a dropped 03', () => {
    // 00 00 03 | 00 03: the second 03 follows a single zero of its own and stays.
    expect(removeEmulationPrevention(Uint8Array.of(0, 0, 3, 0, 3))).toEqual(Uint8Array.of(0, 0, 0, 3));
    expect(removeEmulationPrevention(Uint8Array.of(0, 0, 3, 0, 0, 3, 2))).toEqual(Uint8Array.of(0, 0, 0, 0, 2));
  });

  it('gives back the same array when there is nothing to drop', () => {
    const plain = Uint8Array.of(0x68, 0xce, 0x3c, 0x80, 0, 3);
    expect(removeEmulationPrevention(plain)).toBe(plain);
  });
});
