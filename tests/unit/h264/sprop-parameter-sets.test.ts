import { describe, expect, it } from 'vitest';
import { parameterSetsFromFmtp } from '@/lib/h264/sprop-parameter-sets';
import { parseSps } from '@/lib/h264/sps';

const SPS = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8);
const PPS = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
const SEI = Uint8Array.of(0x06, 0x05, 0x01, 0xff);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const fmtp = (sprop: string) =>
  new Map([
    ['packetization-mode', '1'],
    ['profile-level-id', '42c01e'],
    ['sprop-parameter-sets', sprop],
  ]);

describe('parameterSetsFromFmtp', () => {
  it('decodes the SPS and PPS of sprop-parameter-sets', () => {
    expect(parameterSetsFromFmtp(fmtp(`${base64(SPS)},${base64(PPS)}`))).toEqual({ sps: SPS, pps: PPS });
  });

  it('picks them by NAL type, whatever the order, skipping other units and taking the first of each', () => {
    const second = Uint8Array.of(0x68, 0xee, 0x3c, 0x80);
    expect(parameterSetsFromFmtp(fmtp([SEI, PPS, second, SPS].map(base64).join(',')))).toEqual({ sps: SPS, pps: PPS });
  });

  it('tolerates whitespace, missing padding and the URL-safe alphabet', () => {
    const unpadded = (bytes: Uint8Array) => base64(bytes).replace(/=+$/, '');
    expect(parameterSetsFromFmtp(fmtp(` ${unpadded(SPS)} ,\n${unpadded(PPS)} `))).toEqual({ sps: SPS, pps: PPS });
    const withSlashes = Uint8Array.of(0x67, 0xfb, 0xff, 0xbf);
    expect(base64(withSlashes)).toMatch(/[+/]/);
    const urlSafe = base64(withSlashes).replace(/\+/g, '-').replace(/\//g, '_');
    expect(parameterSetsFromFmtp(fmtp(urlSafe)).sps).toEqual(withSlashes);
  });

  it('skips entries that are not base64, and gives undefined for what is missing', () => {
    expect(parameterSetsFromFmtp(fmtp(`Z0*A,${base64(PPS)}`))).toEqual({ sps: undefined, pps: PPS });
    expect(parameterSetsFromFmtp(fmtp(`${base64(SPS)},A,,`))).toEqual({ sps: SPS, pps: undefined });
    expect(parameterSetsFromFmtp(new Map([['packetization-mode', '1']]))).toEqual({ sps: undefined, pps: undefined });
    expect(parameterSetsFromFmtp(fmtp(''))).toEqual({ sps: undefined, pps: undefined });
  });

  it('reads a camera-style line: an escaped 1080p Main 4.2 SPS and a padded PPS', () => {
    const { sps, pps } = parameterSetsFromFmtp(fmtp('Z00AKpWoHgCJ+WEAAAMD6AAAw1CE,aO48gA=='));
    expect(parseSps(sps!)).toMatchObject({ profileIdc: 77, levelIdc: 42, width: 1920, height: 1080 });
    expect(pps).toEqual(Uint8Array.of(0x68, 0xee, 0x3c, 0x80));
  });

});
