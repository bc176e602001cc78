import { beforeAll, describe, expect, it } from 'vitest';
import { Fmp4Error } from '@/lib/fmp4/fmp4-error';
import { Fmp4Reader, type Fmp4Event } from '@/lib/fmp4/fmp4-reader';
import { writeInitSegment, writeMediaFragment, type FragmentSample } from '@/lib/fmp4/fmp4-writer';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import { parseMediaFragment, type MediaFragment } from '@/lib/fmp4/media-fragment';
import { H264Depacketizer, type AccessUnit } from '@/lib/h264/h264-depacketizer';
import { parseRtpPacket } from '@/lib/rtp/rtp-packet';
import { accessUnits } from '../h264/annex-b';
import { decodeErrors, encodeClip, ffprobeBeside, probe } from '../h264/h264-fixtures';
import { between, prng } from '../../helpers/prng';
import { RtpPacketizer } from '../h264/rtp-packetizer';
import { firstDifference } from './box-builder';
import { baselineFixture, ffmpegPath, type Fixture } from './ffmpeg-fixtures';

const CLOCK = 90_000;
const FRAME_TICKS = 9000; // 10 fps

type Stream = { name: string; annexB: Uint8Array; width: number; height: number; frames: number; ffmpegInit?: InitSegment };
const streams = new Map<string, Stream>();
let ffmpeg = '';
let ffprobe = '';

beforeAll(async () => {
  ffmpeg = await ffmpegPath();
  ffprobe = ffprobeBeside(ffmpeg);
  const [baseline, high, odd] = await Promise.all([
    baselineFixture(ffmpeg),
    encodeClip(ffmpeg, { size: '1280x720', frames: 12, profile: 'high', x264Params: 'slices=2' }),
    encodeClip(ffmpeg, { size: '642x362', frames: 12, profile: 'main' }),
  ]);
  const initOf = (fixture: Fixture) => new Fmp4Reader().push(fixture.mp4).flatMap((e) => (e.kind === 'init' ? [e.init] : []))[0];
  streams.set('baseline 320x180', { name: 'baseline', annexB: baseline.annexB, width: 320, height: 180, frames: 20, ffmpegInit: initOf(baseline) });
  streams.set('high 1280x720', { name: 'high', annexB: high, width: 1280, height: 720, frames: 12 });
  streams.set('main 642x362', { name: 'main', annexB: odd, width: 642, height: 362, frames: 12 });
}, 30_000);

/** The camera's side: the stream's access units as RTP at random MTUs, timestamps from `firstTimestamp`. */
function rtpOf(annexB: Uint8Array, seed: number, firstTimestamp: number): Uint8Array[] {
  const random = prng(seed);
  const packetizer = new RtpPacketizer({ mtu: 1400, firstSequence: between(random, 0, 0xffff) });
  return accessUnits(annexB).flatMap((unit, n) => packetizer.packetize(unit.nalus, (firstTimestamp + n * FRAME_TICKS) >>> 0, between(random, 200, 1400)));
}

type Written = { bytes: Uint8Array[]; units: AccessUnit[]; samples: FragmentSample[] };

/** The server's side: depacketize, then an init and a fragment per unit, decode times from the RTP clock. */
function fmp4Of(packets: Uint8Array[], firstDecodeTime = 0): Written {
  const depacketizer = new H264Depacketizer();
  const units = packets.flatMap((bytes) => depacketizer.push(parseRtpPacket(bytes)!));
  const { sps, pps } = depacketizer;
  if (!sps || !pps) throw new Error('no parameter sets came in band');
  const bytes = [writeInitSegment({ sps, pps, timescale: CLOCK })];
  const samples: FragmentSample[] = [];
  let decodeTime = firstDecodeTime;
  units.forEach((unit, n) => {
    if (n > 0) decodeTime += (unit.timestamp - units[n - 1]!.timestamp) >>> 0;
    const sample = { sequenceNumber: n + 1, decodeTime, duration: FRAME_TICKS, keyframe: unit.keyframe, nalus: unit.nalus };
    samples.push(sample);
    bytes.push(writeMediaFragment(sample));
  });
  return { bytes, units, samples };
}

const join = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((at, part) => (out.set(part, at), at + part.length), 0);
  return out;
};

function readChunked(bytes: Uint8Array, random: () => number): Fmp4Event[] {
  const reader = new Fmp4Reader();
  const events: Fmp4Event[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = between(random, 1, 4000);
    events.push(...reader.push(bytes.subarray(at, at + size)));
    at += size;
  }
  return events;
}

/** The mdat's 4-byte-length-prefixed NAL units. */
function nalusOfMdat(fragment: MediaFragment): Uint8Array[] {
  const view = new DataView(fragment.bytes.buffer, fragment.bytes.byteOffset, fragment.bytes.byteLength);
  const mdatAt = view.getUint32(0);
  const nalus: Uint8Array[] = [];
  for (let at = mdatAt + 8; at < fragment.bytes.length; ) {
    const length = view.getUint32(at);
    nalus.push(fragment.bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return nalus;
}

describe.each(['baseline 320x180', 'high 1280x720', 'main 642x362'])('fMP4 written from RTP: %s', (name) => {
  it('reads back through Fmp4Reader, re-chunked at random: one init, a fragment a frame', () => {
    const stream = streams.get(name)!;
    const written = fmp4Of(rtpOf(stream.annexB, 1, 0xffff_ffff - 2 * FRAME_TICKS));
    expect(written.units).toHaveLength(stream.frames);
    const events = readChunked(join(written.bytes), prng(2));

    const [init, ...fragments] = events;
    expect(init?.kind).toBe('init');
    if (init?.kind !== 'init') return;
    expect(init.init).toMatchObject({ width: stream.width, height: stream.height, timescale: CLOCK, trackId: 1 });
    expect(init.init.defaults).toEqual({ sampleDescriptionIndex: 1, sampleDuration: 0, sampleSize: 0, sampleFlags: 0 });
    expect(firstDifference(init.init.bytes, written.bytes[0]!)).toBe(-1);
    if (stream.ffmpegInit) {
      // What ffmpeg's own remux of the same stream says, codec string and size alike.
      expect(init.init.codec).toBe(stream.ffmpegInit.codec);
      expect([init.init.width, init.init.height]).toEqual([stream.ffmpegInit.width, stream.ffmpegInit.height]);
    }

    expect(fragments).toHaveLength(written.samples.length);
    fragments.forEach((event, n) => {
      if (event.kind !== 'fragment') throw new Error(`event ${n} is an ${event.kind}`);
      const sample = written.samples[n]!;
      const { bytes, ...fields } = event.fragment;
      expect(fields).toEqual({ sequenceNumber: n + 1, trackId: 1, keyframe: sample.keyframe, decodeTime: sample.decodeTime, sampleCount: 1, duration: FRAME_TICKS });
      // firstDifference: toEqual walks large byte arrays for seconds.
      expect(firstDifference(bytes, written.bytes[n + 1]!)).toBe(-1);
      const mdatNalus = nalusOfMdat(event.fragment);
      expect(mdatNalus).toHaveLength(sample.nalus.length);
      mdatNalus.forEach((nal, i) => expect(firstDifference(nal, sample.nalus[i]!)).toBe(-1));
    });
    // Decode times run on across the RTP timestamp's wrap.
    expect(written.samples.map((s) => s.decodeTime)).toEqual(written.samples.map((_, n) => n * FRAME_TICKS));
  });

  it('is read by ffprobe and decoded by ffmpeg from a pipe: h264, the size, every frame, no error', async () => {
    const stream = streams.get(name)!;
    const mp4 = join(fmp4Of(rtpOf(stream.annexB, 3, 1234)).bytes);
    const [probed, errors] = await Promise.all([probe(ffprobe, mp4, { countFrames: true }), decodeErrors(ffmpeg, mp4)]);
    expect(probed).toMatchObject({ codec_name: 'h264', width: stream.width, height: stream.height, nb_read_frames: String(stream.frames) });
    expect(errors).toBe('');
  });
});

describe('writeMediaFragment', () => {
  const nalus = [Uint8Array.of(0x65, 0x88, 1, 2, 3), Uint8Array.of(0x65, 0x41, 9)];
  const sample = (fields: Partial<FragmentSample> = {}): FragmentSample => ({ sequenceNumber: 7, decodeTime: 0, duration: 3000, keyframe: true, nalus, ...fields });
  const read = (bytes: Uint8Array) => {
    const moofSize = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    return parseMediaFragment(bytes.subarray(0, moofSize), bytes.subarray(moofSize))!;
  };

  it('writes a 64-bit tfdt, so decode times beyond 2^32 survive', () => {
    for (const decodeTime of [2 ** 32, 2 ** 32 + 12_345, 2 ** 40 + 1, Number.MAX_SAFE_INTEGER]) {
      expect(read(writeMediaFragment(sample({ decodeTime }))).decodeTime).toBe(decodeTime);
    }
  });

  it('marks a keyframe as sync and any other frame as not, as ffmpeg flags them', () => {
    const flagsOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(96);
    const key = writeMediaFragment(sample());
    const delta = writeMediaFragment(sample({ keyframe: false }));
    expect(read(key).keyframe).toBe(true);
    expect(read(delta).keyframe).toBe(false);
    expect(flagsOf(key)).toBe(0x0200_0000);
    expect(flagsOf(delta)).toBe(0x0101_0000);
  });

  it('writes the fragment into one buffer of exactly its size', () => {
    const bytes = writeMediaFragment(sample());
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
    expect(bytes.length).toBe(108 + 4 + 5 + 4 + 3);
  });

  it('throws Fmp4Error for fields a fragment cannot carry', () => {
    expect(() => writeMediaFragment(sample({ decodeTime: -1 }))).toThrow(/^fmp4: a decode time of -1 is not/);
    expect(() => writeMediaFragment(sample({ decodeTime: 1.5 }))).toThrow(Fmp4Error);
    expect(() => writeMediaFragment(sample({ decodeTime: 2 ** 53 }))).toThrow(Fmp4Error);
    expect(() => writeMediaFragment(sample({ duration: 2 ** 32 }))).toThrow(/^fmp4: a sample duration of 4294967296/);
    expect(() => writeMediaFragment(sample({ sequenceNumber: -1 }))).toThrow(/^fmp4: a sequence number of -1/);
    expect(() => writeMediaFragment(sample({ nalus: [] }))).toThrow(/^fmp4: a sample needs at least one NAL unit$/);
  });

  it('is decoded by ffmpeg with decode times starting beyond 2^32', async () => {
    const stream = streams.get('baseline 320x180')!;
    const mp4 = join(fmp4Of(rtpOf(stream.annexB, 4, 0), 2 ** 33 + 5).bytes);
    const [probed, errors] = await Promise.all([probe(ffprobe, mp4, { countFrames: true }), decodeErrors(ffmpeg, mp4)]);
    expect(probed).toMatchObject({ codec_name: 'h264', nb_read_frames: String(stream.frames) });
    expect(errors).toBe('');
  });
});

describe('writeInitSegment', () => {
  it('throws for a timescale that is not a positive 32-bit integer, and for a broken SPS', () => {
    const { sps, pps } = fmp4Parameters();
    expect(() => writeInitSegment({ sps, pps, timescale: 0 })).toThrow(/^fmp4: a timescale of 0 is not a positive 32-bit integer$/);
    expect(() => writeInitSegment({ sps, pps, timescale: 2 ** 32 })).toThrow(Fmp4Error);
    expect(() => writeInitSegment({ sps: sps.subarray(0, 4), pps, timescale: CLOCK })).toThrow(/^h264: /);
  });

  it('brands the file iso5, as ffmpeg does for empty_moov with default-base-is-moof', () => {
    const { sps, pps } = fmp4Parameters();
    const init = writeInitSegment({ sps, pps, timescale: CLOCK });
    expect(new TextDecoder().decode(init.subarray(4, 28))).toBe('ftypiso5\u0000\u0000\u0002\u0000iso5iso6mp41');
  });
});

function fmp4Parameters(): { sps: Uint8Array; pps: Uint8Array } {
  const depacketizer = new H264Depacketizer();
  for (const bytes of rtpOf(streams.get('baseline 320x180')!.annexB, 5, 0)) depacketizer.push(parseRtpPacket(bytes)!);
  return { sps: depacketizer.sps!, pps: depacketizer.pps! };
}
