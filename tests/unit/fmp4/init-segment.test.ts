import { describe, expect, it } from 'vitest';
import { parseInitSegment } from '@/lib/fmp4/init-segment';
import { ascii, box, concat, fullBox, u16, u32, u64 } from './box-builder';

// What ffmpeg never writes but other muxers do: 64-bit (version 1) tkhd and mdhd, an audio track
// before the video one, several trex boxes.

function trak(handler: string, trackId: number, timescale: number, entry: Uint8Array): Uint8Array {
  const tkhd = fullBox('tkhd', 1, 3, u64(0n), u64(0n), u32(trackId), new Uint8Array(80));
  const mdhd = fullBox('mdhd', 1, 0, u64(0n), u64(0n), u32(timescale), u64(0n), u32(0));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), ascii(handler), new Uint8Array(13));
  const stsd = fullBox('stsd', 0, 0, u32(1), entry);
  return box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', box('stbl', stsd))));
}

function visualEntry(type: string, width: number, height: number, ...children: Uint8Array[]): Uint8Array {
  const fixed = concat(new Uint8Array(6), u16(1), new Uint8Array(16), u16(width), u16(height), new Uint8Array(50));
  return box(type, fixed, ...children);
}

const trex = (trackId: number, duration: number, flags: number) => fullBox('trex', 0, 0, u32(trackId), u32(1), u32(duration), u32(0), u32(flags));

const ftyp = box('ftyp', ascii('isom'), u32(0x200), ascii('isomiso6mp41'));
const audio = trak('soun', 1, 48000, box('mp4a', new Uint8Array(28)));
const video = trak('vide', 2, 90000, visualEntry('avc3', 1920, 1080, box('avcC', Uint8Array.of(1, 0x4d, 0x40, 0x28, 0xff)), box('pasp', u32(1), u32(1))));

describe('parseInitSegment', () => {
  it("reads the video track behind an audio one, with 64-bit headers, and that track's trex", () => {
    const moov = box('moov', fullBox('mvhd', 0, 0, new Uint8Array(96)), audio, video, box('mvex', trex(1, 1024, 0), trex(2, 3000, 0x01010000)));
    const init = parseInitSegment(ftyp, moov);
    expect(init).toMatchObject({
      codec: 'avc3.4D4028',
      mimeType: 'video/mp4; codecs="avc3.4D4028"',
      width: 1920,
      height: 1080,
      timescale: 90000,
      trackId: 2,
      defaults: { sampleDescriptionIndex: 1, sampleDuration: 3000, sampleSize: 0, sampleFlags: 0x01010000 },
    });
    expect(init.bytes).toEqual(concat(ftyp, moov));
  });

  it('gives the bare sample-entry type for a codec it has no rule for, and no defaults without mvex', () => {
    const moov = box('moov', trak('vide', 1, 1000, visualEntry('av01', 640, 360, box('av1C', new Uint8Array(4)))));
    expect(parseInitSegment(undefined, moov)).toMatchObject({ codec: 'av01', width: 640, height: 360, defaults: undefined, bytes: moov });
  });

  it('throws Fmp4Error without a video track, or with an avc1 entry lacking its avcC', () => {
    expect(() => parseInitSegment(ftyp, box('moov', audio))).toThrow(/fmp4: the moov has no video track/);
    expect(() => parseInitSegment(ftyp, box('moov', trak('vide', 1, 1000, visualEntry('avc1', 2, 2))))).toThrow(/fmp4: 'avc1' has no 'avcC' box/);
    expect(() => parseInitSegment(ftyp, ftyp)).toThrow(/fmp4: expected a 'moov' box, got 'ftyp'/);
  });
});
