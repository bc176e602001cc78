import { beforeAll, describe, expect, it } from 'vitest';
import { H264Error } from '@/lib/h264/h264-error';
import { parseSps } from '@/lib/h264/sps';
import { ffmpegPath } from '../fmp4/ffmpeg-fixtures';
import { joinAnnexB, splitAnnexB } from './annex-b';
import { decodeErrors, encodeClip, ffprobeBeside, probe, type Clip, type ProbedStream } from './h264-fixtures';
import { rewriteSps, type ScalingList, type SpsChange } from './sps-rewriter';

type Case = { name: string; clip: Clip; change?: SpsChange; expected: { profileIdc: number; chromaFormatIdc: number; bitDepthLuma: number } };

// ffprobe names the profile; the SPS numbers it (H.264 Annex A).
const PROFILE_NAMES: Record<number, string[]> = {
  66: ['Baseline', 'Constrained Baseline'],
  77: ['Main'],
  100: ['High'],
  110: ['High 10'],
  122: ['High 4:2:2'],
  244: ['High 4:4:4 Predictive'],
};

const flat = (length: number, from: number) => Array.from({ length }, (_, i) => from + ((i * 7) % 40));
// Explicit, default, cut short, absent: each way scaling_list() can be coded.
const lists420: ScalingList[] = [flat(16, 6), 'default', [16, 20, 24], undefined, flat(16, 10), undefined, flat(64, 8), 'default'];
const lists444: ScalingList[] = [...lists420, flat(64, 12), undefined, [30], 'default'];

const CASES: Case[] = [
  // 180 rows are 11.25 macroblocks: coded as 192 and cropped by 6 chroma rows.
  { name: 'baseline 320x180', clip: { size: '320x180', frames: 2, profile: 'baseline', level: '3.0' }, expected: { profileIdc: 66, chromaFormatIdc: 1, bitDepthLuma: 8 } },
  { name: 'high 1280x720', clip: { size: '1280x720', frames: 1, profile: 'high' }, expected: { profileIdc: 100, chromaFormatIdc: 1, bitDepthLuma: 8 } },
  { name: 'high 642x362', clip: { size: '642x362', frames: 1, profile: 'high' }, expected: { profileIdc: 100, chromaFormatIdc: 1, bitDepthLuma: 8 } },
  // Field coding: the height counts in macroblock pairs and crops in units of 4 rows.
  { name: 'main interlaced 320x180', clip: { size: '320x180', frames: 2, profile: 'main', x264Params: 'interlaced=1' }, expected: { profileIdc: 77, chromaFormatIdc: 1, bitDepthLuma: 8 } },
  { name: 'high10 642x362', clip: { size: '642x362', frames: 1, profile: 'high10', pixFmt: 'yuv420p10le' }, expected: { profileIdc: 110, chromaFormatIdc: 1, bitDepthLuma: 10 } },
  { name: 'high422 642x362', clip: { size: '642x362', frames: 1, profile: 'high422', pixFmt: 'yuv422p' }, expected: { profileIdc: 122, chromaFormatIdc: 2, bitDepthLuma: 8 } },
  { name: 'high444 642x362', clip: { size: '642x362', frames: 1, profile: 'high444', pixFmt: 'yuv444p' }, expected: { profileIdc: 244, chromaFormatIdc: 3, bitDepthLuma: 8 } },
  // 4:0:0 crops in luma rows.
  { name: 'high gray 642x362', clip: { size: '642x362', frames: 1, profile: 'high', pixFmt: 'gray' }, expected: { profileIdc: 100, chromaFormatIdc: 0, bitDepthLuma: 8 } },
  {
    name: 'high 642x362 with 8 scaling lists',
    clip: { size: '642x362', frames: 2, profile: 'high' },
    change: { scalingLists: lists420 },
    expected: { profileIdc: 100, chromaFormatIdc: 1, bitDepthLuma: 8 },
  },
  {
    name: 'high444 642x362 with 12 scaling lists',
    clip: { size: '642x362', frames: 2, profile: 'high444', pixFmt: 'yuv444p' },
    change: { scalingLists: lists444 },
    expected: { profileIdc: 244, chromaFormatIdc: 3, bitDepthLuma: 8 },
  },
  {
    name: 'baseline 642x362 with pic_order_cnt_type 1',
    clip: { size: '642x362', frames: 3, profile: 'baseline' },
    change: { pocType1: { offsetForNonRefPic: -2, offsetForTopToBottomField: 1, offsetsForRefFrame: [2, 2, -1] } },
    expected: { profileIdc: 66, chromaFormatIdc: 1, bitDepthLuma: 8 },
  },
];

type Made = { stream: Uint8Array; sps: Uint8Array; probed: ProbedStream; decodeErrors: string };
const made = new Map<string, Made>();

beforeAll(async () => {
  const ffmpeg = await ffmpegPath();
  const ffprobe = ffprobeBeside(ffmpeg);
  await Promise.all(
    CASES.map(async ({ name, clip, change }) => {
      let nalus = splitAnnexB(await encodeClip(ffmpeg, clip));
      if (change) nalus = nalus.map((nal) => ((nal[0]! & 0x1f) === 7 ? rewriteSps(nal, change) : nal));
      const stream = joinAnnexB(nalus);
      const sps = nalus.find((nal) => (nal[0]! & 0x1f) === 7);
      if (!sps) throw new Error(`${name}: no SPS`);
      const [probed, errors] = await Promise.all([probe(ffprobe, stream, { format: 'h264' }), decodeErrors(ffmpeg, stream, 'h264')]);
      made.set(name, { stream, sps, probed, decodeErrors: errors });
    }),
  );
}, 30_000);

describe.each(CASES)('parseSps on x264 output: $name', ({ name, clip, expected }) => {
  it('gives the size, profile and level ffprobe reads from the same stream', () => {
    const { sps, probed, decodeErrors } = made.get(name)!;
    // A rewritten SPS is only a fair reference if ffmpeg still decodes the stream with it.
    expect(decodeErrors).toBe('');
    const [width, height] = clip.size.split('x').map(Number);
    expect({ width: probed.width, height: probed.height }).toEqual({ width, height });

    const info = parseSps(sps);
    expect(info).toEqual({
      profileIdc: expected.profileIdc,
      constraintFlags: sps[2],
      levelIdc: probed.level,
      width: probed.width,
      height: probed.height,
      chromaFormatIdc: expected.chromaFormatIdc,
      bitDepthLuma: expected.bitDepthLuma,
      bitDepthChroma: expected.bitDepthLuma,
    });
    expect(PROFILE_NAMES[info.profileIdc]).toContain(probed.profile);
  });
});

describe('parseSps on x264 baseline', () => {
  it('reads the constraint flags and level of Constrained Baseline 3.0', () => {
    const info = parseSps(made.get('baseline 320x180')!.sps);
    expect(info).toMatchObject({ profileIdc: 66, constraintFlags: 0xc0, levelIdc: 30 });
  });
});

describe('parseSps on a malformed SPS', () => {
  const sps = () => made.get('high 642x362')!.sps;

  it('throws H264Error for a NAL unit that is not an SPS, or an empty one', () => {
    expect(() => parseSps(Uint8Array.of(0x68, 0xce, 0x38, 0x80))).toThrow(H264Error);
    expect(() => parseSps(Uint8Array.of(0x68, 0xce))).toThrow(/^h264: expected an SPS \(NAL type 7\), got NAL type 8$/);
    expect(() => parseSps(new Uint8Array(0))).toThrow(/^h264: expected an SPS/);
  });

  it('throws H264Error for an SPS cut anywhere before its cropping', () => {
    for (const length of [1, 2, 4, 5, 6, 8]) {
      expect(() => parseSps(sps().subarray(0, length)), `cut at ${length}`).toThrow(/^h264: the SPS ends in the middle of its fields$/);
    }
  });

  it('throws H264Error for fields out of their range', () => {
    // seq_parameter_set_id 32 (ue 000001 00001): above 31.
    expect(() => parseSps(Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0b0000_0100, 0b0010_0000))).toThrow(/^h264: the SPS's seq_parameter_set_id is 32, above its maximum 31$/);
    // A run of zeros where a number should be.
    expect(() => parseSps(Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0, 0, 0, 0, 0, 1))).toThrow(/^h264: the SPS holds an exp-Golomb code longer than 32 bits$/);
  });

  it('throws H264Error when the cropping leaves nothing', () => {
    // Baseline, sps_id 0, log2_max_frame_num 0, poc type 2, 1 ref, no gaps, 1x1 macroblocks,
    // frame_mbs_only, direct_8x8, cropping 0,0,0 and 8 chroma rows (16 luma): all of the one row.
    const bits = '1' + '1' + '011' + '010' + '0' + '1' + '1' + '1' + '1' + '1' + '111' + '0001001' + '1';
    const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
    const body = Array.from({ length: padded.length / 8 }, (_, i) => parseInt(padded.slice(i * 8, i * 8 + 8), 2));
    expect(() => parseSps(Uint8Array.of(0x67, 0x42, 0xc0, 0x0a, ...body))).toThrow(/^h264: the SPS crops its 16x16 picture to nothing$/);
  });
});
