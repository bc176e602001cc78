import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { H264Depacketizer, type AccessUnit } from '@/lib/h264/h264-depacketizer';
import { parseRtpPacket, type RtpPacket } from '@/lib/rtp/rtp-packet';
import { ffmpegPath } from '../fmp4/ffmpeg-fixtures';
import { accessUnits, type ReferenceUnit } from './annex-b';
import { encodeClip } from './h264-fixtures';
import { between, prng } from '../../helpers/prng';
import { RtpPacketizer, type PacketizerOptions } from './rtp-packetizer';

const FRAME_TICKS = 9000; // 10 fps at 90 kHz
const GOP = 10;

// What the depacketizer hands on: every NAL unit but access unit delimiters and filler.
const kept = (units: ReferenceUnit[]) => units.map((unit) => ({ ...unit, nalus: unit.nalus.filter((nal) => ![9, 12].includes(nal[0]! & 0x1f)) }));

const clips = new Map<string, ReferenceUnit[]>();
const nalTypeCounts = new Map<string, Map<number, number>>();

beforeAll(async () => {
  const ffmpeg = await ffmpegPath();
  const encode = async (name: string, clip: Parameters<typeof encodeClip>[1]) => {
    const units = accessUnits(await encodeClip(ffmpeg, clip));
    const counts = new Map<number, number>();
    for (const nal of units.flatMap((unit) => unit.nalus)) counts.set(nal[0]! & 0x1f, (counts.get(nal[0]! & 0x1f) ?? 0) + 1);
    nalTypeCounts.set(name, counts);
    clips.set(name, kept(units));
  };
  await Promise.all([
    encode('baseline 320x180', { size: '320x180', frames: 30, profile: 'baseline', gop: GOP }),
    // Four slices a picture, and IDR slices of several kilobytes: many FU-As.
    encode('high 1280x720, 4 slices', { size: '1280x720', frames: 12, profile: 'high', gop: GOP, x264Params: 'slices=4' }),
    encode('main 320x180 with delimiters', { size: '320x180', frames: 12, profile: 'main', gop: GOP, x264Params: 'aud=1' }),
  ]);
}, 30_000);

function clip(name: string): ReferenceUnit[] {
  const units = clips.get(name);
  if (!units) throw new Error(`no clip ${name}`);
  return units;
}

type Sent = { bytes: Uint8Array; unit: number };

/** The units as a camera sends them: timestamps 1/10 s apart from `firstTimestamp`, an MTU per unit. */
function send(units: ReferenceUnit[], options: Omit<PacketizerOptions, 'mtu'> & { mtu: () => number; firstTimestamp?: number }): Sent[] {
  const packetizer = new RtpPacketizer({ ...options, mtu: 0 });
  const first = options.firstTimestamp ?? 1000;
  return units.flatMap((unit, n) => packetizer.packetize(unit.nalus, (first + n * FRAME_TICKS) >>> 0, options.mtu()).map((bytes) => ({ bytes, unit: n })));
}

function receive(packets: Uint8Array[], depacketizer = new H264Depacketizer()): AccessUnit[] {
  const out: AccessUnit[] = [];
  for (const bytes of packets) {
    const packet = parseRtpPacket(bytes);
    if (!packet) throw new Error('the packetizer wrote a packet the parser refuses');
    out.push(...depacketizer.push(packet));
  }
  return out;
}

const sha = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** Units with their NAL units as digests: toEqual on megabytes of bytes takes seconds. */
const digest = (units: { nalus: Uint8Array[]; keyframe: boolean; timestamp?: number }[]) =>
  units.map((unit) => ({ timestamp: unit.timestamp, keyframe: unit.keyframe, nalus: unit.nalus.map(sha) }));

/** The reference units `indexes`, as the depacketizer should give them. */
const expected = (units: ReferenceUnit[], indexes: number[], firstTimestamp = 1000) =>
  digest(indexes.map((n) => ({ ...units[n]!, timestamp: (firstTimestamp + n * FRAME_TICKS) >>> 0 })));

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const bytesOf = (sent: Sent[]) => sent.map((packet) => packet.bytes);

describe.each(['baseline 320x180', 'high 1280x720, 4 slices', 'main 320x180 with delimiters'])('H264Depacketizer on x264 output: %s', (name) => {
  it.each([1, 2, 3, 4, 5, 6])('gives back every access unit, packetized at random MTUs (seed %i)', (seed) => {
    const random = prng(seed);
    const units = clip(name);
    const extras = () => ({ csrcs: between(random, 0, 2), extensionWords: between(random, -1, 2), padding: between(random, 0, 3) });
    const sent = send(units, { mtu: () => between(random, 40, 1500), firstSequence: between(random, 0, 0xffff), extras, noStapA: seed % 3 === 0 });
    const depacketizer = new H264Depacketizer();
    const got = receive(bytesOf(sent), depacketizer);

    expect(digest(got)).toEqual(expected(units, range(0, units.length)));
    expect(depacketizer.stats).toEqual({ packets: sent.length, lostPackets: 0, droppedUnits: 0 });
    const parameterSets = units[0]!.nalus.filter((nal) => [7, 8].includes(nal[0]! & 0x1f)).map(sha);
    expect([sha(depacketizer.sps!), sha(depacketizer.pps!)]).toEqual(parameterSets);
  });

  it('ends each unit at the next timestamp when the camera never sets the marker bit', () => {
    const random = prng(7);
    const units = clip(name);
    const got = receive(bytesOf(send(units, { mtu: () => between(random, 100, 1400), marker: false })));
    // The last unit waits for a packet that never comes.
    expect(digest(got)).toEqual(expected(units, range(0, units.length - 1)));
  });
});

describe('the x264 clips', () => {
  it('hold what the tests above mean them to: delimiters, several slices a picture', () => {
    expect(nalTypeCounts.get('main 320x180 with delimiters')?.get(9)).toBe(12);
    expect(nalTypeCounts.get('high 1280x720, 4 slices')?.get(5)).toBe(2 * 4);
    expect(nalTypeCounts.get('high 1280x720, 4 slices')?.get(1)).toBe(10 * 4);
  });
});

describe('H264Depacketizer across wraps', () => {
  it('follows the sequence number and the timestamp through their wraps', () => {
    const units = clip('high 1280x720, 4 slices');
    const firstTimestamp = 0xffff_ffff - 3 * FRAME_TICKS;
    const sent = send(units, { mtu: () => 500, firstSequence: 0xffff - 20, firstTimestamp });
    const got = receive(bytesOf(sent));
    expect(digest(got)).toEqual(expected(units, range(0, units.length), firstTimestamp));
    expect(got.at(-1)!.timestamp).toBeLessThan(firstTimestamp);
  });
});

describe('H264Depacketizer on loss', () => {
  // 30 frames, keyframes at 0, 10 and 20; MTU 300 puts each picture in several packets.
  const units = () => clip('baseline 320x180');
  const packets = (marker = true) => send(units(), { mtu: () => 300, marker });
  const packetsOf = (sent: Sent[], unit: number) => sent.flatMap((packet, i) => (packet.unit === unit ? [i] : []));
  const without = (sent: Sent[], ...drop: number[]) => bytesOf(sent.filter((_, i) => !drop.includes(i)));

  it('drops the unit that lost a packet and every unit up to the next keyframe', () => {
    const sent = packets();
    const [, middle] = packetsOf(sent, 13);
    const depacketizer = new H264Depacketizer();
    const got = receive(without(sent, middle!), depacketizer);
    expect(digest(got)).toEqual(expected(units(), [...range(0, 13), ...range(20, 30)]));
    expect(depacketizer.stats).toMatchObject({ lostPackets: 1, droppedUnits: 7 });
  });

  it('drops the unit whose last packet (the one with the marker) was lost, not the keyframe after it', () => {
    const sent = packets();
    const got = receive(without(sent, packetsOf(sent, 19).at(-1)!));
    expect(digest(got)).toEqual(expected(units(), [...range(0, 19), ...range(20, 30)]));
  });

  it('drops a keyframe that lost its first packet, and all after it until a keyframe comes', () => {
    const sent = packets();
    const depacketizer = new H264Depacketizer();
    const got = receive(without(sent, packetsOf(sent, 10)[0]!), depacketizer);
    expect(digest(got)).toEqual(expected(units(), [...range(0, 10), ...range(20, 30)]));
    expect(depacketizer.stats).toMatchObject({ lostPackets: 1, droppedUnits: 10 });
  });

  it('counts a burst, across units, as one gap', () => {
    const sent = packets();
    const burst = [...packetsOf(sent, 4).slice(1), ...packetsOf(sent, 5), ...packetsOf(sent, 6).slice(0, 1)];
    const depacketizer = new H264Depacketizer();
    const got = receive(without(sent, ...burst), depacketizer);
    expect(digest(got)).toEqual(expected(units(), [...range(0, 4), ...range(10, 30)]));
    expect(depacketizer.stats.lostPackets).toBe(burst.length);
  });

  it('does the same without marker bits', () => {
    const sent = packets(false);
    const got = receive(without(sent, packetsOf(sent, 13)[1]!));
    expect(digest(got)).toEqual(expected(units(), [...range(0, 13), ...range(20, 29)]));
  });

  it('drops duplicates and late packets without losing anything', () => {
    const random = prng(11);
    const sent = bytesOf(packets());
    const noisy: Uint8Array[] = [];
    sent.forEach((bytes, i) => {
      noisy.push(bytes);
      if (random() < 0.1) noisy.push(bytes);
      if (i > 40 && random() < 0.05) noisy.push(sent[i - between(random, 2, 40)]!);
    });
    const depacketizer = new H264Depacketizer();
    const got = receive(noisy, depacketizer);
    expect(digest(got)).toEqual(expected(units(), range(0, 30)));
    expect(depacketizer.stats).toEqual({ packets: noisy.length, lostPackets: 0, droppedUnits: 0 });
  });

  it('takes two packets swapped as a loss: the late one is dropped, not put back', () => {
    const sent = bytesOf(packets());
    const at = packetsOf(packets(), 13)[1]!;
    const swapped = [...sent.slice(0, at), sent[at + 1]!, sent[at]!, ...sent.slice(at + 2)];
    const got = receive(swapped);
    expect(digest(got)).toEqual(expected(units(), [...range(0, 13), ...range(20, 30)]));
  });
});

// Hand-made NAL units for what x264 and the packetizer never do. first_mb_in_slice 0 is the top
// bit of a slice's second byte.
const SPS = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0xd9);
const PPS = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
const SEI = Uint8Array.of(0x06, 0x05, 0x01, 0xaa, 0x80);
const IDR = Uint8Array.of(0x65, 0x88, 0x84, 0x21, 0x43);
const SECOND_IDR_SLICE = Uint8Array.of(0x65, 0x41, 0x9a, 0x21);
const P = Uint8Array.of(0x41, 0x9a, 0x02, 0x0c);
const AUD = Uint8Array.of(0x09, 0xf0);

class Camera {
  sequence = 100;
  constructor(private readonly ssrc = 7) {}

  packet(timestamp: number, marker: boolean, ...payload: number[] | [Uint8Array]): RtpPacket {
    const bytes = payload[0] instanceof Uint8Array ? payload[0] : Uint8Array.from(payload as number[]);
    return { payloadType: 96, sequence: this.sequence++ & 0xffff, timestamp, marker, ssrc: this.ssrc, payload: bytes };
  }
}

function stapA(...nalus: Uint8Array[]): Uint8Array {
  const parts = nalus.flatMap((nal) => [nal.length >> 8, nal.length & 0xff, ...nal]);
  return Uint8Array.from([0x78, ...parts]);
}

const fu = (nal: Uint8Array, start: boolean, end: boolean, body: Uint8Array) =>
  Uint8Array.from([(nal[0]! & 0xe0) | 28, (start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0]! & 0x1f), ...body]);

const plain = (units: AccessUnit[]) => units.map((unit) => ({ ...unit, nalus: unit.nalus.map((nal) => Array.from(nal)) }));
const unit = (timestamp: number, keyframe: boolean, ...nalus: Uint8Array[]) => ({ timestamp, keyframe, nalus: nalus.map((nal) => Array.from(nal)) });

describe('H264Depacketizer on hand-made packets', () => {
  it('reads a STAP-A of SPS, PPS and IDR, keeping the parameter sets in the unit and for the init', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    expect(plain(depacketizer.push(camera.packet(3000, true, stapA(AUD, SPS, PPS, IDR))))).toEqual([unit(3000, true, SPS, PPS, IDR)]);
    expect(depacketizer.sps).toEqual(SPS);
    expect(depacketizer.pps).toEqual(PPS);
  });

  it('merges parameter sets sent under a timestamp of their own into the next picture', () => {
    for (const marker of [true, false]) {
      const camera = new Camera();
      const depacketizer = new H264Depacketizer();
      const got = [camera.packet(10, marker, SPS), camera.packet(10, marker, PPS), camera.packet(20, marker, SEI), camera.packet(3000, true, IDR)].flatMap((p) =>
        depacketizer.push(p),
      );
      expect(plain(got), `marker ${marker}`).toEqual([unit(3000, true, SPS, PPS, SEI, IDR)]);
    }
  });

  it('gives two units from one packet: the one its timestamp ends and the one its marker ends', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    expect(depacketizer.push(camera.packet(0, false, IDR))).toHaveLength(0);
    expect(depacketizer.push(camera.packet(0, false, SECOND_IDR_SLICE))).toHaveLength(0);
    expect(plain(depacketizer.push(camera.packet(3000, true, P)))).toEqual([unit(0, true, IDR, SECOND_IDR_SLICE), unit(3000, false, P)]);
  });

  it('answers with one shared, frozen empty array while nothing completes', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    const first = depacketizer.push(camera.packet(0, false, IDR));
    const second = depacketizer.push(camera.packet(0, false, SECOND_IDR_SLICE));
    expect(first).toBe(second);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('joins FU-A fragments into one NAL unit with the header rebuilt from indicator and FU header', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    const big = Uint8Array.from({ length: 3000 }, (_, i) => (i === 0 ? 0x65 : i === 1 ? 0x88 : i % 251));
    const got = [
      camera.packet(0, false, fu(big, true, false, big.subarray(1, 1000))),
      camera.packet(0, false, fu(big, false, false, big.subarray(1000, 2000))),
      camera.packet(0, true, fu(big, false, true, big.subarray(2000))),
    ].flatMap((p) => depacketizer.push(p));
    expect(got).toHaveLength(1);
    expect(got[0]!.nalus[0]).toEqual(big);
    // A fragment that is start and end at once (against RFC 6184, but sent) is a whole NAL unit.
    expect(plain(depacketizer.push(camera.packet(3000, true, fu(P, true, true, P.subarray(1)))))).toEqual([unit(3000, false, P)]);
  });

  it.each([
    ['an FU-A without its start', [fu(P, false, true, P.subarray(1))]],
    ['an FU-A whose end never came, the unit ended by its marker', [fu(P, true, false, P.subarray(1, 2)), P]],
    ['an FU-A whose end never came, the unit ended by the next timestamp', [fu(P, true, false, P.subarray(1, 2))]],
    ['another NAL unit amid an FU-A', [fu(P, true, false, P.subarray(1, 2)), SEI, fu(P, false, true, P.subarray(2))]],
  ])('drops a unit with %s, with no sequence gap, and the units up to the next keyframe', (_, payloads) => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    const got = [
      camera.packet(0, true, IDR),
      ...payloads.map((payload, i) => camera.packet(3000, i === payloads.length - 1 && payloads.length > 1, payload)),
      camera.packet(6000, true, P),
      camera.packet(9000, true, IDR),
    ].flatMap((p) => depacketizer.push(p));
    expect(plain(got)).toEqual([unit(0, true, IDR), unit(9000, true, IDR)]);
    expect(depacketizer.stats).toEqual({ packets: 3 + payloads.length, lostPackets: 0, droppedUnits: 2 });
  });

  it('trusts a keyframe after a gap that cost only the picture before it, for a stream without in-band parameter sets', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    const got = [camera.packet(0, true, IDR), camera.packet(3000, false, fu(P, true, false, P.subarray(1, 2)))].flatMap((p) => depacketizer.push(p));
    camera.sequence += 1; // the FU-A's end, lost
    got.push(...depacketizer.push(camera.packet(6000, true, IDR)));
    expect(plain(got)).toEqual([unit(0, true, IDR), unit(6000, true, IDR)]);
    expect(depacketizer.stats).toEqual({ packets: 3, lostPackets: 1, droppedUnits: 1 });
  });

  it('drops what it cannot read (STAP-B, MTAP, FU-B, a STAP-A that overruns) and waits for a keyframe', () => {
    for (const payload of [Uint8Array.of(25, 0, 1, 0, 2, 0x41, 0x9a), Uint8Array.of(26, 0, 0), Uint8Array.of(29, 0x81, 0, 0, 0x9a), Uint8Array.of(24, 0, 9, 0x41, 0x9a)]) {
      const camera = new Camera();
      const depacketizer = new H264Depacketizer();
      const got = [camera.packet(0, true, IDR), camera.packet(3000, true, payload), camera.packet(6000, true, P), camera.packet(9000, true, IDR)].flatMap((p) =>
        depacketizer.push(p),
      );
      expect(plain(got), `type ${payload[0]}`).toEqual([unit(0, true, IDR), unit(9000, true, IDR)]);
      expect(depacketizer.stats.droppedUnits).toBe(2);
    }
  });

  it('ignores the undefined types 0, 30 and 31, and empty payloads', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    const got = [camera.packet(0, false, 0, 1), camera.packet(0, false, 30, 1), camera.packet(0, false, 31), camera.packet(0, false), camera.packet(0, true, IDR)].flatMap((p) =>
      depacketizer.push(p),
    );
    expect(plain(got)).toEqual([unit(0, true, IDR)]);
  });

  it('drops the pictures before the first keyframe: a decoder cannot start on them', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    const got = [camera.packet(0, true, P), camera.packet(3000, true, P), camera.packet(6000, true, IDR), camera.packet(9000, true, P)].flatMap((p) =>
      depacketizer.push(p),
    );
    expect(plain(got)).toEqual([unit(6000, true, IDR), unit(9000, false, P)]);
    expect(depacketizer.stats.droppedUnits).toBe(2);
  });

  it('takes a new SSRC as a new stream: the unit in progress is dropped, the new keyframe comes through', () => {
    const old = new Camera(1);
    const restarted = new Camera(2);
    restarted.sequence = 5;
    const depacketizer = new H264Depacketizer();
    const got = [old.packet(0, true, IDR), old.packet(3000, false, P), restarted.packet(50, true, IDR)].flatMap((p) => depacketizer.push(p));
    expect(plain(got)).toEqual([unit(0, true, IDR), unit(50, true, IDR)]);
    expect(depacketizer.stats).toMatchObject({ lostPackets: 0, droppedUnits: 1 });
  });

  it('believes a jump in the numbering only when the packet after it follows', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    const got: AccessUnit[] = [];
    got.push(...depacketizer.push(camera.packet(0, true, IDR)));
    camera.sequence = 40_000;
    // A stray packet from far away: dropped, and the numbering stays.
    got.push(...depacketizer.push(camera.packet(90, true, IDR)));
    camera.sequence = 101;
    got.push(...depacketizer.push(camera.packet(3000, true, P)));
    // The sender restarted its numbering: the first packet is taken for a stray one, the next
    // believed, but its unit lacks that first packet.
    camera.sequence = 20_000;
    got.push(...depacketizer.push(camera.packet(6000, false, IDR)));
    got.push(...depacketizer.push(camera.packet(6000, true, SECOND_IDR_SLICE)));
    got.push(...depacketizer.push(camera.packet(9000, true, IDR)));
    expect(plain(got)).toEqual([unit(0, true, IDR), unit(3000, false, P), unit(9000, true, IDR)]);
    expect(depacketizer.stats).toEqual({ packets: 6, lostPackets: 0, droppedUnits: 1 });
  });

  it('reset() forgets the stream and its parameter sets but keeps the stats', () => {
    const camera = new Camera();
    const depacketizer = new H264Depacketizer();
    depacketizer.push(camera.packet(0, true, stapA(SPS, PPS, IDR)));
    depacketizer.push(camera.packet(3000, false, P));
    depacketizer.reset();
    expect(depacketizer.sps).toBeUndefined();
    expect(depacketizer.pps).toBeUndefined();
    // Numbering starts afresh: a sequence far behind the last is no late packet now.
    camera.sequence = 1;
    expect(plain(depacketizer.push(camera.packet(3000, true, P)))).toEqual([]);
    expect(plain(depacketizer.push(camera.packet(6000, true, IDR)))).toEqual([unit(6000, true, IDR)]);
    expect(depacketizer.stats.packets).toBe(4);
  });
});
