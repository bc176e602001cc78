import { beforeAll, describe, expect, it } from 'vitest';
import { avcDecoderConfiguration } from '@/lib/fmp4/avc-decoder-configuration';
import { BoxView } from '@/lib/fmp4/box-view';
import { avcCodecString } from '@/lib/fmp4/codec-string';
import { Fmp4Error } from '@/lib/fmp4/fmp4-error';
import { splitAnnexB } from '../h264/annex-b';
import { encodeClip, type Clip } from '../h264/h264-fixtures';
import { baselineFixture, ffmpegPath, highFixture, run } from './ffmpeg-fixtures';

/** The avcC body in an init segment (ftyp + moov), as ffmpeg wrote it. */
function avcCOf(init: Uint8Array): Uint8Array {
  const ftypSize = new DataView(init.buffer, init.byteOffset).getUint32(0);
  const moov = BoxView.of(init.subarray(ftypSize));
  const stsd = moov.required('trak').required('mdia').required('minf').required('stbl').required('stsd');
  const entry = stsd.children(8)[0]!;
  return entry.required('avcC', 78).tail(0);
}

const parameterSets = (annexB: Uint8Array) => {
  const nalus = splitAnnexB(annexB);
  return { sps: nalus.find((nal) => (nal[0]! & 0x1f) === 7)!, pps: nalus.find((nal) => (nal[0]! & 0x1f) === 8)! };
};

type Made = { name: string; annexB: Uint8Array; mp4: Uint8Array };
const made = new Map<string, Made>();

const CLIPS: Record<string, Clip> = {
  high10: { size: '642x362', frames: 1, profile: 'high10', pixFmt: 'yuv420p10le' },
  high422: { size: '642x362', frames: 1, profile: 'high422', pixFmt: 'yuv422p' },
  high444: { size: '642x362', frames: 1, profile: 'high444', pixFmt: 'yuv444p' },
};

beforeAll(async () => {
  const ffmpeg = await ffmpegPath();
  const remux = (annexB: Uint8Array) => run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'h264', '-i', '-', '-c:v', 'copy', '-f', 'mp4', '-movflags', '+empty_moov+frag_keyframe', '-'], annexB);
  const fixtures = await Promise.all([baselineFixture(ffmpeg), highFixture(ffmpeg)]);
  for (const fixture of fixtures) made.set(fixture.name, fixture);
  await Promise.all(
    Object.entries(CLIPS).map(async ([name, clip]) => {
      const annexB = await encodeClip(ffmpeg, clip);
      made.set(name, { name, annexB, mp4: await remux(annexB) });
    }),
  );
}, 30_000);

describe('avcDecoderConfiguration', () => {
  it.each(['baseline', 'high', 'high10', 'high422'])('writes the record ffmpeg writes for the same parameter sets: %s', (name) => {
    const { annexB, mp4 } = made.get(name)!;
    const { sps, pps } = parameterSets(annexB);
    const ours = avcDecoderConfiguration(sps, pps);
    const ffmpegs = avcCOf(mp4);
    expect(Array.from(ours)).toEqual(Array.from(ffmpegs));
    expect(avcCodecString('avc1', ours)).toBe(avcCodecString('avc1', ffmpegs));
  });

  it('gives High 4:2:2 and High 10 their chroma format and bit depth fields', () => {
    const tail = (name: string) => {
      const { sps, pps } = parameterSets(made.get(name)!.annexB);
      return Array.from(avcDecoderConfiguration(sps, pps).slice(-4));
    };
    expect(tail('high10')).toEqual([0xfc | 1, 0xf8 | 2, 0xf8 | 2, 0]);
    expect(tail('high422')).toEqual([0xfc | 2, 0xf8, 0xf8, 0]);
  });

  it('leaves those fields out for profiles 14496-15 does not name (High 4:4:4 Predictive), where ffmpeg adds them', () => {
    const { annexB, mp4 } = made.get('high444')!;
    const { sps, pps } = parameterSets(annexB);
    const ours = avcDecoderConfiguration(sps, pps);
    expect(ours[1]).toBe(244);
    expect(ours.length).toBe(6 + 2 + sps.length + 1 + 2 + pps.length);
    const ffmpegs = avcCOf(mp4);
    expect(ffmpegs.length).toBe(ours.length + 4);
    expect(Array.from(ours)).toEqual(Array.from(ffmpegs.subarray(0, ours.length)));
  });

  it('throws Fmp4Error for NAL units that are not an SPS and a PPS', () => {
    const { sps, pps } = parameterSets(made.get('baseline')!.annexB);
    expect(() => avcDecoderConfiguration(pps, pps)).toThrow(Fmp4Error);
    expect(() => avcDecoderConfiguration(sps, sps)).toThrow(/^fmp4: avcC needs a PPS \(NAL type 8\), got NAL type 7$/);
    expect(() => avcDecoderConfiguration(sps.subarray(0, 3), pps)).toThrow(/^h264: the SPS ends in the middle of its fields$/);
  });
});
