import { describe, expect, it } from 'vitest';
import { GreyFrameSplitter } from '@/lib/motion/grey-frames';

function frames(count: number, bytes: number): Uint8Array[] {
  return Array.from({ length: count }, (_, index) => Uint8Array.from({ length: bytes }, (_, at) => (index * 31 + at * 7) % 256));
}

describe('GreyFrameSplitter', () => {
  it('gives back the same frames however the stream is cut', () => {
    const expected = frames(7, 60);
    const stream = Buffer.concat(expected);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round += 1) {
      const splitter = new GreyFrameSplitter(60);
      const got: Uint8Array[] = [];
      for (let offset = 0; offset < stream.length; ) {
        const size = 1 + Math.floor(random() * 150);
        got.push(...splitter.push(stream.subarray(offset, offset + size)));
        offset += size;
      }
      expect(got).toEqual(expected);
    }
  });

  it('keeps a partial frame until the rest arrives, and gives each frame its own buffer', () => {
    const splitter = new GreyFrameSplitter(4);
    expect(splitter.push(Uint8Array.of(1, 2, 3))).toEqual([]);
    const [first, second] = splitter.push(Uint8Array.of(4, 5, 6, 7, 8));
    expect([...first!]).toEqual([1, 2, 3, 4]);
    expect([...second!]).toEqual([5, 6, 7, 8]);
    expect(first!.buffer).not.toBe(second!.buffer);
  });

  it('refuses a frame size that is not a whole positive number of bytes', () => {
    expect(() => new GreyFrameSplitter(0)).toThrow(/whole number of bytes/);
    expect(() => new GreyFrameSplitter(1.5)).toThrow(/whole number of bytes/);
  });
});
