import { describe, expect, it } from 'vitest';
import { BoxSplitter, type Box } from '@/lib/fmp4/box-splitter';
import { Fmp4Error } from '@/lib/fmp4/fmp4-error';
import { ascii, box, concat, firstDifference, largeBox, u32, u64 } from './box-builder';

const typesOf = (boxes: Box[]) => boxes.map((b) => b.type);

function splitInChunks(bytes: Uint8Array, size: number, splitter = new BoxSplitter()): Box[] {
  const boxes: Box[] = [];
  for (let at = 0; at < bytes.length; at += size) boxes.push(...splitter.push(bytes.subarray(at, at + size)));
  return boxes;
}

describe('BoxSplitter', () => {
  const stream = concat(box('ftyp', ascii('isom')), box('free'), box('moov', box('mvhd', new Uint8Array(100))), box('mdat', new Uint8Array(300).fill(7)));

  it('returns whole top-level boxes, header included, from one chunk', () => {
    const boxes = new BoxSplitter().push(stream);
    expect(typesOf(boxes)).toEqual(['ftyp', 'free', 'moov', 'mdat']);
    expect(boxes.map((b) => b.bytes.length)).toEqual([12, 8, 8 + 108, 308]);
    expect(concat(...boxes.map((b) => b.bytes))).toEqual(stream);
  });

  it('gives the same boxes for every chunk size, 1 byte included', () => {
    for (const size of [1, 2, 3, 7, 8, 9, 15, 16, 17, 64, 1000]) {
      const boxes = splitInChunks(stream, size);
      expect(typesOf(boxes), `chunks of ${size}`).toEqual(['ftyp', 'free', 'moov', 'mdat']);
      expect(concat(...boxes.map((b) => b.bytes))).toEqual(stream);
    }
  });

  it('hands out copies: later writes to the pushed chunk do not change a box', () => {
    const chunk = stream.slice();
    const [ftyp] = new BoxSplitter().push(chunk);
    chunk.fill(0);
    expect(ftyp?.bytes).toEqual(stream.subarray(0, 12));
  });

  it('reads a 64-bit largesize (size field 1), split inside its 16-byte header', () => {
    const large = largeBox('mdat', new Uint8Array(40).fill(9));
    const bytes = concat(large, box('moof'));
    for (const size of [1, 5, 8, 9, 12, 16]) {
      const boxes = splitInChunks(bytes, size);
      expect(typesOf(boxes)).toEqual(['mdat', 'moof']);
      expect(boxes[0]?.bytes).toEqual(large);
      expect(boxes[0]?.bytes.length).toBe(56);
    }
  });

  it('keeps a large mdat arriving in many small chunks intact and says how much it holds', () => {
    const payload = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    const mdat = box('mdat', payload);
    const splitter = new BoxSplitter();
    const boxes: Box[] = [];
    for (let at = 0; at < mdat.length; at += 1000) {
      boxes.push(...splitter.push(mdat.subarray(at, at + 1000)));
      if (at + 1000 < mdat.length) expect(splitter.bufferedBytes).toBe(at + 1000);
    }
    expect(boxes).toHaveLength(1);
    expect(firstDifference(boxes[0]?.bytes ?? new Uint8Array(), mdat)).toBe(-1);
    expect(splitter.bufferedBytes).toBe(0);
  });

  it.each([
    ['a size below the header', concat(u32(7), ascii('moof')), /fmp4: box 'moof' at byte 12 declares 7 bytes, less than its own 8-byte header/],
    ['size 0 (to the end of the file)', concat(u32(0), ascii('mdat')), /fmp4: box 'mdat' at byte 12 has size 0/],
    ['a size over the cap', concat(u32(2048), ascii('mdat')), /fmp4: box 'mdat' at byte 12 declares 2048 bytes, over the 1024-byte cap/],
    ['a largesize over the cap', concat(u32(1), ascii('mdat'), u64(2n ** 40n)), /64-bit size of 1099511627776 bytes, over the 1024-byte cap/],
    ['a largesize below its header', concat(u32(1), ascii('mdat'), u64(15n)), /64-bit size of 15, less than its own 16-byte header/],
    ['a type that is no four-character code', concat(u32(16), Uint8Array.of(0, 1, 2, 3)), /fmp4: the box at byte 12 has type 0x00010203/],
  ])('throws Fmp4Error on %s, and keeps throwing until reset', (_, bad, message) => {
    const splitter = new BoxSplitter(1024);
    const good = box('ftyp', ascii('isom'));
    expect(typesOf(splitter.push(good))).toEqual(['ftyp']);
    expect(() => splitter.push(bad)).toThrow(Fmp4Error);
    expect(() => splitter.push(good)).toThrow(message);

    splitter.reset();
    expect(typesOf(splitter.push(good))).toEqual(['ftyp']);
  });
});
