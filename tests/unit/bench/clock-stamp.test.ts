import { describe, expect, it } from 'vitest';
import { delayMs, STAMP_BITS, STAMP_BLOCK, stampFromStrip } from '../../../scripts/bench/clock-stamp';

/** A strip as the test camera draws it, with JPEG-like noise around the block colours. */
function strip(value: number): Uint8Array {
  const width = STAMP_BITS * STAMP_BLOCK;
  const pixels = new Uint8Array(width * STAMP_BLOCK);
  for (let y = 0; y < STAMP_BLOCK; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const bit = Math.floor(value / 2 ** (STAMP_BITS - 1 - Math.floor(x / STAMP_BLOCK))) % 2;
      pixels[y * width + x] = (bit ? 235 : 16) + ((x * 7 + y * 3) % 11) - 5;
    }
  }
  return pixels;
}

describe('the clock stamp in a picture', () => {
  it('reads back every bit, the top one included', () => {
    for (const value of [0, 1, 0x80000000, 0xffffffff, 1_764_000_123, 2 ** 31 + 12345]) {
      expect(stampFromStrip(strip(value))).toBe(value);
    }
  });

  it('gives the delay across the wrap-around of the 32-bit millisecond clock', () => {
    expect(delayMs(2 ** 32 * 411 + 250, 2 ** 32 - 50)).toBe(300);
    expect(delayMs(1_764_000_000_300, 1_764_000_000_000 % 2 ** 32)).toBe(300);
  });

  it('gives a clock slightly ahead of the viewer a small negative delay, not 49 days', () => {
    expect(delayMs(1_764_000_000_000, (1_764_000_000_000 + 3) % 2 ** 32)).toBe(-3);
  });
});
