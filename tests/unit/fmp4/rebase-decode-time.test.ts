import { beforeAll, describe, expect, it } from 'vitest';
import { parseMediaFragment, type MediaFragment } from '@/lib/fmp4/media-fragment';
import { shiftDecodeTime } from '@/lib/fmp4/rebase-decode-time';
import { encodeStream, ffmpegPath, parseStream } from '../recording/recorded-fixture';

let fragment: MediaFragment;
const moofOf = (bytes: Uint8Array) => bytes.slice(0, new DataView(bytes.buffer, bytes.byteOffset).getUint32(0));
const mdatOf = (bytes: Uint8Array) => bytes.subarray(moofOf(bytes).length);

beforeAll(async () => {
  fragment = parseStream(await encodeStream(await ffmpegPath(), 1)).fragments[5]!;
});

describe('shifting a fragment’s decode time', () => {
  it('moves the tfdt and leaves everything else of the fragment as it was', () => {
    const moof = moofOf(fragment.bytes);
    shiftDecodeTime(moof, 1_000_000);
    const shifted = parseMediaFragment(moof, mdatOf(fragment.bytes))!;
    expect(shifted.decodeTime).toBe(fragment.decodeTime + 1_000_000);
    expect({ ...shifted, bytes: undefined, decodeTime: 0 }).toEqual({ ...fragment, bytes: undefined, decodeTime: 0 });
    expect(moof.length).toBe(moofOf(fragment.bytes).length);
    shiftDecodeTime(moof, -1_000_000 - fragment.decodeTime);
    expect(parseMediaFragment(moof, mdatOf(fragment.bytes))!.decodeTime).toBe(0);
  });

  it('takes a shift past 2^32 in ffmpeg’s 64-bit tfdt, and refuses one below 0 or not whole, changing nothing then', () => {
    const moof = moofOf(fragment.bytes);
    shiftDecodeTime(moof, 2 ** 32);
    expect(parseMediaFragment(moof, mdatOf(fragment.bytes))!.decodeTime).toBe(fragment.decodeTime + 2 ** 32);
    shiftDecodeTime(moof, -(2 ** 32));
    expect(() => shiftDecodeTime(moof, -fragment.decodeTime - 1)).toThrow(/^fmp4: a shifted decode time of -1 is out of range/);
    expect(() => shiftDecodeTime(moof, 0.5)).toThrow(/whole number/);
    expect(moof).toEqual(moofOf(fragment.bytes));
    expect(() => shiftDecodeTime(fragment.bytes.slice(moof.length), 1)).toThrow(/expected a 'moof' box, got 'mdat'/);
  });
});
