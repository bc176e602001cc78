import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Fmp4Reader } from '@/lib/fmp4/fmp4-reader';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import type { MediaFragment } from '@/lib/fmp4/media-fragment';
import { NeedsReorderingError, RtpToFmp4 } from '@/lib/live/rtp-to-fmp4';
import type { VideoTrack } from '@/lib/rtsp/sdp';
import { ffmpegPath, run } from '../fmp4/ffmpeg-fixtures';
import { accessUnits, type ReferenceUnit } from '../h264/annex-b';
import { encodeClip, ffprobeBeside, type Clip } from '../h264/h264-fixtures';
import { between, prng } from '../../helpers/prng';
import { RtpPacketizer } from '../h264/rtp-packetizer';

const CLOCK = 90_000;
const FRAME_TICKS = 9000; // 10 fps
// What RtpToFmp4 assumes before it has seen an interval: 1/15 s.
const FIRST_DURATION = 6000;

const CLIPS: Record<string, Clip> = {
  'baseline 320x180': { size: '320x180', frames: 20, profile: 'baseline', gop: 10 },
  'baseline 192x108': { size: '192x108', frames: 10, profile: 'baseline', gop: 10 },
  // Picture timing SEI before every picture's slices, and delimiters: the first NAL unit of a unit is no slice.
  'main, B-frames': { size: '320x180', frames: 20, profile: 'main', gop: 10, bframes: 2, x264Params: 'b-adapt=0:aud=1:nal-hrd=vbr:bitrate=400:vbv-maxrate=400:vbv-bufsize=800' },
  'main, no B-frames': { size: '320x180', frames: 20, profile: 'main', gop: 10, x264Params: 'slices=2:aud=1:nal-hrd=vbr:bitrate=400:vbv-maxrate=400:vbv-bufsize=800' },
};

const clips = new Map<string, ReferenceUnit[]>();
let bFrameTypes: string[] = [];

beforeAll(async () => {
  const ffmpeg = await ffmpegPath();
  const ffprobe = ffprobeBeside(ffmpeg);
  await Promise.all(
    Object.entries(CLIPS).map(async ([name, clip]) => {
      const annexB = await encodeClip(ffmpeg, clip);
      clips.set(name, accessUnits(annexB));
      if (name === 'main, B-frames') bFrameTypes = await pictureTypesInDecodingOrder(ffprobe, annexB);
    }),
  );
}, 30_000);

/** ffprobe lists pictures in display order; by their place in the stream, in decoding order as the units are. */
async function pictureTypesInDecodingOrder(ffprobe: string, annexB: Uint8Array): Promise<string[]> {
  const args = ['-v', 'error', '-f', 'h264', '-show_frames', '-show_entries', 'frame=pict_type,pkt_pos', '-of', 'json', '-'];
  const { frames } = JSON.parse(new TextDecoder().decode(await run(ffprobe, args, annexB))) as { frames: { pict_type: string; pkt_pos: string }[] };
  return frames.sort((a, b) => Number(a.pkt_pos) - Number(b.pkt_pos)).map((frame) => frame.pict_type);
}

function clip(name: string): ReferenceUnit[] {
  const units = clips.get(name);
  if (!units) throw new Error(`no clip ${name}`);
  return units;
}

const nalType = (nal: Uint8Array) => nal[0]! & 0x1f;

function track(fmtp = new Map<string, string>()): VideoTrack {
  return { payloadType: 96, encoding: 'H264', clockRate: CLOCK, fmtp, controlUrl: 'rtsp://x/cam' };
}

/** Timestamps `step` apart from `first`, as uint32. */
const steady = (count: number, first = 1000, step = FRAME_TICKS) => Array.from({ length: count }, (_, n) => (first + n * step) >>> 0);

/** From a first timestamp and the signed steps after it, as uint32. */
const stepped = (first: number, steps: number[]) => steps.reduce((stamps, step) => [...stamps, (stamps.at(-1)! + step) >>> 0], [first >>> 0]);

/** The camera's side: each unit's packets, at random MTUs. */
function camera(units: ReferenceUnit[], stamps: number[], options: { seed?: number; payloadType?: number; ssrc?: number } = {}): Uint8Array[][] {
  if (stamps.length < units.length) throw new Error(`${units.length} units, ${stamps.length} timestamps`);
  const random = prng(options.seed ?? 1);
  const packetizer = new RtpPacketizer({ mtu: 1400, firstSequence: between(random, 0, 0xffff), payloadType: options.payloadType, ssrc: options.ssrc });
  return units.map((unit, n) => packetizer.packetize(unit.nalus, stamps[n]!, between(random, 200, 1400)));
}

type Fed = {
  /** What push returned for each unit's packets, by unit. */
  outputs: Uint8Array[][];
  inits: { unit: number; init: InitSegment }[];
  fragments: { unit: number; fragment: MediaFragment }[];
  /** In the order they came: 'init' or 'fragment'. */
  kinds: string[];
  /** How many inits and fragments the reader found in each array push returned. */
  eventsPerChunk: number[];
};

/** The server's side, read back by the Fmp4Reader that reads ffmpeg's output. */
function feed(muxer: RtpToFmp4, packets: Uint8Array[][]): Fed {
  const reader = new Fmp4Reader();
  const fed: Fed = { outputs: [], inits: [], fragments: [], kinds: [], eventsPerChunk: [] };
  packets.forEach((unitPackets, unit) => {
    const out: Uint8Array[] = [];
    for (const packet of unitPackets) out.push(...muxer.push(packet));
    fed.outputs.push(out);
    for (const chunk of out) {
      const events = reader.push(chunk);
      fed.eventsPerChunk.push(events.length);
      for (const event of events) {
        fed.kinds.push(event.kind);
        if (event.kind === 'init') fed.inits.push({ unit, init: event.init });
        else fed.fragments.push({ unit, fragment: event.fragment });
      }
    }
  });
  return fed;
}

const sha = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** A fragment's samples as written: its mdat's payload. */
function mdatOf(fragment: Uint8Array): Uint8Array {
  const view = new DataView(fragment.buffer, fragment.byteOffset, fragment.byteLength);
  const moofSize = view.getUint32(0);
  const type = new TextDecoder().decode(fragment.subarray(moofSize + 4, moofSize + 8));
  if (type !== 'mdat') throw new Error(`a '${type}' after the moof`);
  return fragment.subarray(moofSize + 8, moofSize + view.getUint32(moofSize));
}

/** A unit's NAL units as the sample should hold them: 4-byte lengths, no delimiters or filler. */
function sampleOf(unit: ReferenceUnit): Uint8Array {
  const nalus = unit.nalus.filter((nal) => ![9, 12].includes(nalType(nal)));
  const out = new Uint8Array(nalus.reduce((sum, nal) => sum + 4 + nal.length, 0));
  let at = 0;
  for (const nal of nalus) {
    new DataView(out.buffer).setUint32(at, nal.length);
    out.set(nal, at + 4);
    at += 4 + nal.length;
  }
  return out;
}

const decodeTimes = (fed: Fed) => fed.fragments.map(({ fragment }) => fragment.decodeTime);
const differences = (values: number[]) => values.slice(1).map((value, n) => value - values[n]!);

describe('RtpToFmp4 on x264 output', () => {
  it('writes an init, then a fragment per access unit from the first keyframe on', () => {
    // The camera is joined mid-GOP: units 3–9 cannot be decoded without keyframe 0.
    const units = clip('baseline 320x180').slice(3);
    const fed = feed(new RtpToFmp4(track()), camera(units, steady(units.length)));

    expect(fed.outputs.slice(0, 7).map((out) => out.length)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(fed.kinds).toEqual(['init', ...Array<string>(10).fill('fragment')]);
    // Each array push returns is one init or one fragment, whole.
    expect(fed.eventsPerChunk).toEqual(Array<number>(11).fill(1));
    expect(fed.inits.map(({ unit, init }) => ({ unit, width: init.width, height: init.height, timescale: init.timescale }))).toEqual([{ unit: 7, width: 320, height: 180, timescale: CLOCK }]);
    expect(fed.fragments.map(({ unit }) => unit)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(fed.fragments.map(({ fragment }) => fragment.sequenceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fed.fragments.map(({ fragment }) => fragment.sampleCount)).toEqual(Array<number>(10).fill(1));
    expect(fed.fragments.map(({ fragment }) => fragment.keyframe)).toEqual([true, ...Array<boolean>(9).fill(false)]);
    expect(fed.fragments.map(({ fragment }) => sha(mdatOf(fragment.bytes)))).toEqual(units.slice(7).map((unit) => sha(sampleOf(unit))));
    expect(decodeTimes(fed)).toEqual(steady(10, 0));
  });

  it('keeps the decode times continuous across the RTP timestamp wrap, stepping by the RTP intervals', () => {
    const units = clip('baseline 320x180');
    const steps = [9000, 3000, 6000, 9000, 4500, 9000, 9000, 18_000, 3003, 9000, 9000, 9000, 6000, 9000, 9000, 9000, 9000, 9000, 9000];
    const stamps = stepped(2 ** 32 - 5 * FRAME_TICKS, steps);
    expect(stamps.some((stamp, n) => n > 0 && stamp < stamps[n - 1]!)).toBe(true);
    const fed = feed(new RtpToFmp4(track()), camera(units, stamps));

    expect(fed.fragments).toHaveLength(20);
    expect(decodeTimes(fed)[0]).toBe(0);
    expect(differences(decodeTimes(fed))).toEqual(steps);
  });

  it('steps by the last interval over a jump backwards, or forwards by more than 10 s', () => {
    const units = clip('baseline 320x180').slice(0, 12);
    // From 20000, 50000 back goes below 0: to just under 2^32, behind all the same.
    const steps = [9000, 9000, 6000, -50_000, 9000, 4500, 900_001, 9000, 900_000, 3000, -(2 ** 31)];
    const fed = feed(new RtpToFmp4(track()), camera(units, stepped(20_000, steps)));

    expect(fed.fragments).toHaveLength(12);
    expect(differences(decodeTimes(fed))).toEqual([9000, 9000, 6000, 6000, 9000, 4500, 4500, 9000, 900_000, 3000, 3000]);
  });

  it('gives each fragment the interval before it as its duration, 1/15 s the first', () => {
    const units = clip('baseline 320x180').slice(0, 9);
    const steps = [9000, 3000, 6000, 3003, -50_000, 18_000, 1_000_000, 4500];
    const fed = feed(new RtpToFmp4(track()), camera(units, stepped(1000, steps)));

    expect(fed.fragments.map(({ fragment }) => fragment.duration)).toEqual([FIRST_DURATION, 9000, 3000, 6000, 3003, 3003, 18_000, 18_000, 4500]);
  });

  it('writes a new init before the keyframe that brings a new SPS, and only then', () => {
    // Two keyframes with the first SPS (units 0 and 10), then one with another size (unit 20).
    const units = [...clip('baseline 320x180'), ...clip('baseline 192x108')];
    const fed = feed(new RtpToFmp4(track()), camera(units, steady(units.length, 2 ** 32 - 10 * FRAME_TICKS)));

    expect(fed.inits.map(({ unit, init }) => ({ unit, width: init.width, height: init.height }))).toEqual([
      { unit: 0, width: 320, height: 180 },
      { unit: 20, width: 192, height: 108 },
    ]);
    expect(fed.kinds).toEqual(['init', ...Array<string>(20).fill('fragment'), 'init', ...Array<string>(10).fill('fragment')]);
    expect(fed.outputs[20]!.length).toBe(2);
    expect(fed.fragments.filter(({ fragment }) => fragment.keyframe).map(({ unit }) => unit)).toEqual([0, 10, 20]);
    expect(fed.fragments.map(({ fragment }) => fragment.sequenceNumber)).toEqual(Array.from({ length: 30 }, (_, n) => n + 1));
    expect(decodeTimes(fed)).toEqual(steady(30, 0));
  });

  it("starts from the SDP's sprop-parameter-sets when the camera sends none in band", () => {
    const units = clip('baseline 320x180').map((unit) => ({ ...unit, nalus: unit.nalus.filter((nal) => ![7, 8].includes(nalType(nal))) }));
    const [sps, pps] = [7, 8].map((type) => clip('baseline 320x180')[0]!.nalus.find((nal) => nalType(nal) === type)!);
    const base64 = (nal: Uint8Array) => Buffer.from(nal).toString('base64');
    const fmtp = new Map([
      ['packetization-mode', '1'],
      ['sprop-parameter-sets', `${base64(sps!)},${base64(pps!)}`],
    ]);
    const packets = camera(units, steady(units.length));

    const fed = feed(new RtpToFmp4(track(fmtp)), packets);
    expect(fed.inits.map(({ unit, init }) => ({ unit, width: init.width, height: init.height }))).toEqual([{ unit: 0, width: 320, height: 180 }]);
    expect(fed.fragments.map(({ fragment }) => sha(mdatOf(fragment.bytes)))).toEqual(units.map((unit) => sha(sampleOf(unit))));
    // Without them there is nothing to write an init from.
    expect(feed(new RtpToFmp4(track()), packets).outputs.flat()).toEqual([]);
  });

  it('ignores packets of another payload type', () => {
    const units = clip('baseline 320x180');
    const packets = camera(units, steady(units.length));
    // Another stream on the same connection: its own SSRC and numbering, and keyframes of another size.
    const other = camera(clip('baseline 192x108'), steady(10, 5000), { seed: 2, payloadType: 97, ssrc: 0x5555_0001 }).flat();
    const mixed = packets.map((unitPackets, n) => unitPackets.flatMap((packet, i) => [other[(n * 7 + i) % other.length]!, packet]));
    expect(mixed.flat().length).toBeGreaterThan(2 * units.length);

    const clean = feed(new RtpToFmp4(track()), packets);
    const muxer = new RtpToFmp4(track());
    const fed = feed(muxer, mixed);
    expect(fed.outputs.map((out) => out.map(sha))).toEqual(clean.outputs.map((out) => out.map(sha)));
    expect(fed.fragments).toHaveLength(20);
    expect(muxer.stats).toEqual({ packets: packets.flat().length, lostPackets: 0, droppedUnits: 0 });
  });
});

describe('RtpToFmp4 and B-frames', () => {
  it('the clips hold what the tests mean them to: B-frames in one, none in the other, SEI before every picture', () => {
    expect(bFrameTypes.length).toBe(20);
    expect(bFrameTypes.filter((type) => type === 'B').length).toBeGreaterThanOrEqual(10);
    for (const name of ['main, B-frames', 'main, no B-frames']) {
      // The delimiter, then picture timing SEI (with the SPS and PPS at keyframes), then the slices.
      expect(clip(name).every((unit) => nalType(unit.nalus[0]!) === 9 && nalType(unit.nalus[1]!) !== 1)).toBe(true);
    }
  });

  it('throws a NeedsReorderingError at the first B-frame, having written the frames before it', () => {
    const units = clip('main, B-frames');
    const firstB = bFrameTypes.indexOf('B');
    expect(firstB).toBeGreaterThan(0);
    const packets = camera(units, steady(units.length));
    const muxer = new RtpToFmp4(track());
    const reader = new Fmp4Reader();
    const written: string[] = [];
    let thrown: { error: unknown; unit: number; packet: number } | undefined;
    outer: for (const [unit, unitPackets] of packets.entries()) {
      for (const [packet, bytes] of unitPackets.entries()) {
        try {
          for (const chunk of muxer.push(bytes)) written.push(...reader.push(chunk).map((event) => event.kind));
        } catch (error) {
          thrown = { error, unit, packet };
          break outer;
        }
      }
    }

    expect(thrown).toBeDefined();
    expect(thrown!.error).toBeInstanceOf(NeedsReorderingError);
    expect((thrown!.error as Error).message).toBe("the camera sends B-frames, which camdash's own RTSP client does not reorder");
    expect((thrown!.error as Error).name).toBe('NeedsReorderingError');
    // At the packet that completes the B-frame (its last, with the marker bit).
    expect({ unit: thrown!.unit, packet: thrown!.packet }).toEqual({ unit: firstB, packet: packets[firstB]!.length - 1 });
    expect(written).toEqual(['init', ...Array<string>(firstB).fill('fragment')]);
  });

  it('never throws for the same stream encoded without B-frames', () => {
    const units = clip('main, no B-frames');
    const fed = feed(new RtpToFmp4(track()), camera(units, steady(units.length)));
    expect(fed.fragments).toHaveLength(20);
  });
});
