import { beforeAll, describe, expect, it } from 'vitest';
import { isBidirectionalSlice } from '@/lib/h264/slice-type';
import { ffmpegPath, run } from '../fmp4/ffmpeg-fixtures';
import { accessUnits, type ReferenceUnit } from './annex-b';
import { encodeClip, ffprobeBeside, type Clip } from './h264-fixtures';
import { escapeRbsp } from '../../helpers/emulation-prevention';

const CLIPS: Record<string, Clip> = {
  // b-adapt=0: x264 always puts its B-frames in, rather than deciding per scene.
  'main, 2 B-frames': { size: '320x180', frames: 20, profile: 'main', bframes: 2, x264Params: 'b-adapt=0' },
  'high, 3 B-frames in a pyramid, 4 slices a picture': { size: '640x360', frames: 16, profile: 'high', bframes: 3, x264Params: 'b-adapt=0:b-pyramid=normal:slices=4' },
  'baseline, no B-frames': { size: '320x180', frames: 12, profile: 'baseline' },
};

type Probed = { units: ReferenceUnit[]; pictureTypes: string[] };
const probed = new Map<string, Probed>();

/** ffprobe's picture types in decoding order, as the Annex-B stream holds the pictures: ffprobe lists them in display order. */
async function pictureTypesInDecodingOrder(ffprobe: string, annexB: Uint8Array): Promise<string[]> {
  const args = ['-v', 'error', '-f', 'h264', '-show_frames', '-show_entries', 'frame=pict_type,pkt_pos', '-of', 'json', '-'];
  const { frames } = JSON.parse(new TextDecoder().decode(await run(ffprobe, args, annexB))) as { frames: { pict_type: string; pkt_pos: string }[] };
  return frames.sort((a, b) => Number(a.pkt_pos) - Number(b.pkt_pos)).map((frame) => frame.pict_type);
}

beforeAll(async () => {
  const ffmpeg = await ffmpegPath();
  const ffprobe = ffprobeBeside(ffmpeg);
  await Promise.all(
    Object.entries(CLIPS).map(async ([name, clip]) => {
      const annexB = await encodeClip(ffmpeg, clip);
      probed.set(name, { units: accessUnits(annexB), pictureTypes: await pictureTypesInDecodingOrder(ffprobe, annexB) });
    }),
  );
}, 30_000);

const isSlice = (nal: Uint8Array) => [1, 5].includes(nal[0]! & 0x1f);

describe.each(Object.keys(CLIPS))('isBidirectionalSlice on x264 output: %s', (name) => {
  it('says B for every slice of the pictures ffprobe calls B, and for no other', () => {
    const { units, pictureTypes } = probed.get(name)!;
    expect(units.length).toBe(CLIPS[name]!.frames);
    expect(pictureTypes.length).toBe(units.length);
    const got = units.map((unit) => unit.nalus.filter(isSlice).map(isBidirectionalSlice));
    const expected = units.map((unit, n) => unit.nalus.filter(isSlice).map(() => pictureTypes[n] === 'B'));
    expect(got).toEqual(expected);
  });

  it('says false for the NAL units that are not slices (SPS, PPS, SEI)', () => {
    const others = probed.get(name)!.units.flatMap((unit) => unit.nalus.filter((nal) => !isSlice(nal)));
    expect(new Set(others.map((nal) => nal[0]! & 0x1f))).toEqual(new Set([6, 7, 8]));
    expect(others.filter(isBidirectionalSlice)).toEqual([]);
  });
});

describe('the x264 clips', () => {
  it('hold what the tests above mean them to: B-frames, several slices a picture', () => {
    const count = (name: string, type: string) => probed.get(name)!.pictureTypes.filter((t) => t === type).length;
    expect(count('main, 2 B-frames', 'B')).toBeGreaterThanOrEqual(10);
    expect(count('high, 3 B-frames in a pyramid, 4 slices a picture', 'B')).toBeGreaterThanOrEqual(8);
    expect(count('baseline, no B-frames', 'B')).toBe(0);
    expect(count('baseline, no B-frames', 'P')).toBeGreaterThan(0);
    const slices = probed.get('high, 3 B-frames in a pyramid, 4 slices a picture')!.units.map((unit) => unit.nalus.filter(isSlice).length);
    expect(new Set(slices)).toEqual(new Set([4]));
  });
});

// A slice header written by the test: first_mb_in_slice, slice_type, then bits that stand for the rest.
const ue = (value: number) => {
  const code = (value + 1).toString(2);
  return '0'.repeat(code.length - 1) + code;
};

function sliceNal(header: number, firstMb: number, sliceType: number): Uint8Array {
  let bits = ue(firstMb) + ue(sliceType) + '1' + '0110'.repeat(20) + '1';
  while (bits.length % 8 !== 0) bits += '0';
  const rbsp = Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
  return Uint8Array.of(header, ...escapeRbsp(rbsp));
}


const NON_IDR = 0x41;
const IDR = 0x65;

describe('isBidirectionalSlice on written slice headers', () => {
  it.each([0, 1, 2, 99, 8159])('reads slice_type after a first_mb_in_slice of %i: B is 1 and 6', (firstMb) => {
    const types = Array.from({ length: 10 }, (_, sliceType) => sliceType);
    expect(types.filter((sliceType) => isBidirectionalSlice(sliceNal(NON_IDR, firstMb, sliceType)))).toEqual([1, 6]);
    expect(types.filter((sliceType) => isBidirectionalSlice(sliceNal(IDR, firstMb, sliceType)))).toEqual([1, 6]);
  });

  it('reads slices only: the same bytes under any other NAL type are not a B slice', () => {
    const body = sliceNal(NON_IDR, 0, 6).subarray(1);
    const others = [0, 2, 3, 4, 6, 7, 8, 9, 12, 14, 20, 24, 28].filter((type) => isBidirectionalSlice(Uint8Array.of(0x40 | type, ...body)));
    expect(others).toEqual([]);
  });

  it('removes the emulation prevention bytes among the fields', () => {
    // 2^22 - 1: 22 zeros, a one and 22 zeros, which emulation prevention breaks up twice.
    const firstMb = 2 ** 22 - 1;
    const nal = sliceNal(NON_IDR, firstMb, 6);
    expect([...nal.subarray(1, 9)]).toEqual([0, 0, 3, 2, 0, 0, 3, 1]);
    expect(isBidirectionalSlice(nal)).toBe(true);
    expect(isBidirectionalSlice(sliceNal(NON_IDR, firstMb, 5))).toBe(false);
    expect(isBidirectionalSlice(sliceNal(NON_IDR, firstMb, 1))).toBe(true);
    expect(isBidirectionalSlice(sliceNal(NON_IDR, firstMb, 0))).toBe(false);
  });

  it('says false for a header too short or too corrupt to read', () => {
    expect(isBidirectionalSlice(new Uint8Array(0))).toBe(false);
    expect(isBidirectionalSlice(Uint8Array.of(NON_IDR))).toBe(false);
    // first_mb_in_slice 0, then the NAL unit ends in slice_type's leading zeros.
    expect(isBidirectionalSlice(Uint8Array.of(NON_IDR, 0b1000_0000))).toBe(false);
    // 11 and 16 would be B by their remainder, but above 9 is no slice_type at all.
    expect(isBidirectionalSlice(sliceNal(NON_IDR, 0, 11))).toBe(false);
    expect(isBidirectionalSlice(sliceNal(NON_IDR, 0, 16))).toBe(false);
    // An exp-Golomb code of more than 31 leading zeros.
    expect(isBidirectionalSlice(Uint8Array.of(NON_IDR, 0, 0, 3, 0, 0, 3, 0, 0, 3, 1, 0xff))).toBe(false);
  });

  it('reads only the start of a large slice, not all of it', () => {
    // 4 MB of 00 00 03 01 after the header: removing emulation prevention from all of it takes milliseconds each time.
    const big = new Uint8Array(4 * 1024 * 1024);
    const head = sliceNal(NON_IDR, 0, 6).subarray(0, 4);
    big.set(head);
    for (let at = 8; at + 4 <= big.length; at += 4) big.set([0, 0, 3, 1], at);
    const started = performance.now();
    let found = 0;
    for (let i = 0; i < 1000; i++) if (isBidirectionalSlice(big)) found += 1;
    expect(found).toBe(1000);
    expect(performance.now() - started).toBeLessThan(300);
  });
});
