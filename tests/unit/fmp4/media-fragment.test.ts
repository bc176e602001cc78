import { describe, expect, it } from 'vitest';
import { Fmp4Error } from '@/lib/fmp4/fmp4-error';
import type { TrackDefaults } from '@/lib/fmp4/init-segment';
import { isSyncSample, parseMediaFragment } from '@/lib/fmp4/media-fragment';
import { box, concat, fullBox, u32, u64 } from './box-builder';

// Sample flags as ffmpeg writes them.
const SYNC = 0x02000000; // depends on no other sample
const NON_SYNC = 0x01010000; // depends on others, is_non_sync_sample

const trex = (sampleFlags: number, sampleDuration = 0): TrackDefaults => ({ sampleDescriptionIndex: 1, sampleDuration, sampleSize: 0, sampleFlags });

type Tfhd = { trackId?: number; duration?: number; flags?: number; baseDataOffset?: boolean };

function tfhd({ trackId = 1, duration, flags, baseDataOffset }: Tfhd = {}): Uint8Array {
  let boxFlags = 0x020000 | 0x2; // default-base-is-moof, sample_description_index
  const fields = [u32(trackId)];
  if (baseDataOffset) {
    boxFlags |= 0x1;
    fields.push(u64(1234n));
  }
  fields.push(u32(1));
  if (duration !== undefined) {
    boxFlags |= 0x8;
    fields.push(u32(duration));
  }
  boxFlags |= 0x10;
  fields.push(u32(500)); // default_sample_size
  if (flags !== undefined) {
    boxFlags |= 0x20;
    fields.push(u32(flags));
  }
  return fullBox('tfhd', 0, boxFlags, ...fields);
}

type Sample = { duration?: number; size?: number; flags?: number; cto?: number };

function trun(samples: Sample[], firstSampleFlags?: number): Uint8Array {
  const first = samples[0] ?? {};
  let flags = 0x1; // data_offset
  if (firstSampleFlags !== undefined) flags |= 0x4;
  if (first.duration !== undefined) flags |= 0x100;
  if (first.size !== undefined) flags |= 0x200;
  if (first.flags !== undefined) flags |= 0x400;
  if (first.cto !== undefined) flags |= 0x800;
  const records = samples.flatMap((s) => [s.duration, s.size, s.flags, s.cto].flatMap((v) => (v === undefined ? [] : [u32(v)])));
  const head = [u32(samples.length), u32(0)];
  if (firstSampleFlags !== undefined) head.push(u32(firstSampleFlags));
  return fullBox('trun', 0, flags, ...head, ...records);
}

const tfdt = (time: bigint, version = 1) => fullBox('tfdt', version, 0, version === 1 ? u64(time) : u32(Number(time)));

const moof = (...trafs: Uint8Array[][]) => box('moof', fullBox('mfhd', 0, 0, u32(7)), ...trafs.map((children) => box('traf', ...children)));
const mdat = box('mdat', new Uint8Array(16));

function read(trafs: Uint8Array[][], defaults?: TrackDefaults, trackId = 1) {
  return parseMediaFragment(moof(...trafs), mdat, { trackId, defaults });
}

describe('isSyncSample', () => {
  it.each([
    [0, true, 'all-zero flags'],
    [SYNC, true, 'depends on none'],
    [NON_SYNC, false, 'non-sync, depends on others'],
    [0x00010000, false, 'only the non-sync bit'],
    [0x02010000, false, 'non-sync though it depends on none'],
    [0x01000000, false, 'the sync bit clear but it depends on others'],
  ])('%s is %s (%s)', (flags, sync) => {
    expect(isSyncSample(flags)).toBe(sync);
  });
});

describe('parseMediaFragment', () => {
  it('reads sequence number, track, decode time, samples and their duration', () => {
    const fragment = read([[tfhd({ duration: 3000, flags: NON_SYNC }), tfdt(90000n), trun([{}, {}, {}], SYNC)]]);
    expect(fragment).toMatchObject({ sequenceNumber: 7, trackId: 1, keyframe: true, decodeTime: 90000, sampleCount: 3, duration: 9000 });
    expect(fragment?.bytes).toEqual(concat(moof([tfhd({ duration: 3000, flags: NON_SYNC }), tfdt(90000n), trun([{}, {}, {}], SYNC)]), mdat));
  });

  it('takes the first sample flags from trun first_sample_flags over every default', () => {
    expect(read([[tfhd({ flags: SYNC }), tfdt(0n), trun([{}], NON_SYNC)]], trex(SYNC))?.keyframe).toBe(false);
    expect(read([[tfhd({ flags: NON_SYNC }), tfdt(0n), trun([{}], SYNC)]], trex(NON_SYNC))?.keyframe).toBe(true);
  });

  it("then from sample 0's own flags in the trun, read past its duration and size fields", () => {
    const samples = [
      { duration: 100, size: 10, flags: SYNC, cto: 200 },
      { duration: 150, size: 11, flags: NON_SYNC, cto: 0 },
    ];
    const fragment = read([[tfhd({ flags: NON_SYNC }), tfdt(0n), trun(samples)]], trex(NON_SYNC));
    expect(fragment).toMatchObject({ keyframe: true, sampleCount: 2, duration: 250 });
    const reversed = read([[tfhd({ flags: SYNC }), tfdt(0n), trun([...samples].reverse())]], trex(SYNC));
    expect(reversed?.keyframe).toBe(false);
  });

  it('then from tfhd default_sample_flags, then from the trex', () => {
    expect(read([[tfhd({ flags: SYNC, baseDataOffset: true }), tfdt(0n), trun([{}])]], trex(NON_SYNC))?.keyframe).toBe(true);
    expect(read([[tfhd({ flags: NON_SYNC }), tfdt(0n), trun([{}])]], trex(SYNC))?.keyframe).toBe(false);
    expect(read([[tfhd(), tfdt(0n), trun([{}])]], trex(SYNC))?.keyframe).toBe(true);
    expect(read([[tfhd(), tfdt(0n), trun([{}])]], trex(NON_SYNC))?.keyframe).toBe(false);
  });

  it('counts a sample with no flags anywhere as sync, and a fragment without samples as no keyframe', () => {
    expect(read([[tfhd(), tfdt(0n), trun([{}])]])?.keyframe).toBe(true);
    expect(read([[tfhd(), tfdt(0n), trun([])]], trex(SYNC))).toMatchObject({ keyframe: false, sampleCount: 0 });
  });

  it('takes durations from tfhd, else from the trex, else leaves them unknown', () => {
    expect(read([[tfhd({ duration: 40 }), tfdt(0n), trun([{}, {}]), trun([{}])]], trex(0, 99))?.duration).toBe(120);
    expect(read([[tfhd(), tfdt(0n), trun([{}, {}])]], trex(0, 99))?.duration).toBe(198);
    expect(read([[tfhd(), tfdt(0n), trun([{}, {}])]])?.duration).toBeUndefined();
  });

  it('reads 32- and 64-bit decode times, and rejects one beyond 2^53', () => {
    expect(read([[tfhd(), tfdt(4_000_000_000n, 0), trun([{}])]])?.decodeTime).toBe(4_000_000_000);
    expect(read([[tfhd(), tfdt(2n ** 40n), trun([{}])]])?.decodeTime).toBe(2 ** 40);
    expect(() => read([[tfhd(), tfdt(2n ** 60n), trun([{}])]])).toThrow(/fmp4: 'tfdt' holds a 64-bit value .* beyond 2\^53/);
  });

  it("reads the track's traf, and nothing from a moof of other tracks", () => {
    const audio = [tfhd({ trackId: 2, flags: NON_SYNC }), tfdt(5n), trun([{}])];
    const video = [tfhd({ trackId: 1, flags: SYNC }), tfdt(9n), trun([{}])];
    expect(read([audio, video])).toMatchObject({ trackId: 1, decodeTime: 9, keyframe: true });
    expect(read([audio])).toBeUndefined();
    expect(parseMediaFragment(moof(audio, video), mdat)).toMatchObject({ trackId: 2, decodeTime: 5 });
  });

  it('throws Fmp4Error for a traf without tfdt, a trun with more samples than bytes, a child overrunning its parent', () => {
    expect(() => read([[tfhd(), trun([{}])]])).toThrow(/fmp4: moof 7 has no tfdt/);
    const lying = fullBox('trun', 0, 0x100, u32(1_000_000_000), u32(0), u32(1));
    expect(() => read([[tfhd(), tfdt(0n), lying]])).toThrow(/fmp4: trun declares 1000000000 samples of 4 bytes/);
    const overrun = concat(u32(64), new TextEncoder().encode('tfdt'), new Uint8Array(8));
    expect(() => read([[tfhd(), overrun]])).toThrow(/fmp4: box 'tfdt' in 'traf' declares 64 bytes, but only 16 remain/);
    expect(() => parseMediaFragment(mdat, mdat)).toThrow(Fmp4Error);
  });
});
