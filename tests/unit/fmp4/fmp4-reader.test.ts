import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Fmp4Error } from '@/lib/fmp4/fmp4-error';
import { Fmp4Reader, type Fmp4Event } from '@/lib/fmp4/fmp4-reader';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import type { MediaFragment } from '@/lib/fmp4/media-fragment';
import { box, concat, firstDifference } from './box-builder';
import { FPS, FRAMES, GOP, baselineFixture, ffmpegPath, hasEncoder, hevcFixtures, highFixture, type Fixture } from './ffmpeg-fixtures';
import { avcCodecFromSps, hevcCodecFromSps } from './parameter-sets';
import { prng } from '../../helpers/prng';

type Expected = { codec: string; fromSps: (annexB: Uint8Array) => string };

const EXPECTED: Record<string, Expected> = {
  // x264's baseline is Constrained Baseline: constraint_set0 and set1 (0xC0); level 3.0 is 0x1E.
  baseline: { codec: 'avc1.42C01E', fromSps: (s) => avcCodecFromSps(s) },
  high: { codec: 'avc1.640028', fromSps: (s) => avcCodecFromSps(s) },
  // Main (1), compatible with Main and Main 10 (flags 1 and 2, reversed: 6), main tier level 3
  // (90), progressive and frame-only (0x90).
  'hevc-hvc1': { codec: 'hvc1.1.6.L90.90', fromSps: (s) => hevcCodecFromSps(s, 'hvc1') },
  'hevc-hev1': { codec: 'hev1.1.6.L90.90', fromSps: (s) => hevcCodecFromSps(s, 'hev1') },
};

const fixtures = new Map<string, Fixture>();
let x265Missing = false;

beforeAll(async () => {
  const ffmpeg = await ffmpegPath();
  x265Missing = !(await hasEncoder(ffmpeg, 'libx265'));
  const made = await Promise.all([baselineFixture(ffmpeg), highFixture(ffmpeg), x265Missing ? [] : hevcFixtures(ffmpeg)]);
  for (const fixture of made.flat()) fixtures.set(fixture.name, fixture);
}, 30_000);

function fixture(name: string): Fixture {
  const found = fixtures.get(name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

const inits = (events: Fmp4Event[]): InitSegment[] => events.flatMap((e) => (e.kind === 'init' ? [e.init] : []));
const fragments = (events: Fmp4Event[]): MediaFragment[] => events.flatMap((e) => (e.kind === 'fragment' ? [e.fragment] : []));

function readChunked(bytes: Uint8Array, nextSize: () => number, reader = new Fmp4Reader()): Fmp4Event[] {
  const events: Fmp4Event[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = nextSize();
    events.push(...reader.push(bytes.subarray(at, at + size)));
    at += size;
  }
  return events;
}

/** Events with each byte array replaced by its digest: toEqual on the raw bytes takes seconds. */
function digest(events: Fmp4Event[]): unknown[] {
  const sha = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
  return events.map((e) => (e.kind === 'init' ? { ...e.init, bytes: sha(e.init.bytes) } : { ...e.fragment, bytes: sha(e.fragment.bytes) }));
}

describe.each(['baseline', 'high', 'hevc-hvc1', 'hevc-hev1'])('Fmp4Reader on ffmpeg output: %s', (name) => {
  it('yields one init with the codec the SPS implies and the encoded size', (context) => {
    if (name.startsWith('hevc') && x265Missing) context.skip('this ffmpeg has no libx265 encoder (`ffmpeg -encoders`), so there is no HEVC to read');
    const { mp4, annexB } = fixture(name);
    const events = new Fmp4Reader().push(mp4);
    const [init, ...more] = inits(events);
    expect(more).toEqual([]);
    expect(events[0]?.kind).toBe('init');
    const expected = EXPECTED[name];
    expect(init?.codec).toBe(expected?.codec);
    expect(init?.codec).toBe(expected?.fromSps(annexB));
    expect(init?.mimeType).toBe(`video/mp4; codecs="${expected?.codec}"`);
    expect([init?.width, init?.height]).toEqual([320, 180]);
    expect(init?.trackId).toBe(1);
    // The init's bytes are the stream's ftyp and moov, verbatim.
    const initBytes = init?.bytes ?? new Uint8Array();
    expect(String.fromCharCode(...initBytes.subarray(4, 8))).toBe('ftyp');
    expect(firstDifference(initBytes, mp4.subarray(0, initBytes.length))).toBe(-1);
  });

  it('yields a fragment per frame, keyframes at the GOP positions, decode times at 1/FPS steps', (context) => {
    if (name.startsWith('hevc') && x265Missing) context.skip('this ffmpeg has no libx265 encoder (`ffmpeg -encoders`), so there is no HEVC to read');
    const { mp4 } = fixture(name);
    const reader = new Fmp4Reader();
    const events = reader.push(mp4);
    const timescale = inits(events)[0]?.timescale ?? 0;
    const frames = fragments(events);

    expect(frames).toHaveLength(FRAMES);
    expect(frames.flatMap((f, i) => (f.keyframe ? [i] : []))).toEqual([0, GOP]);
    expect(timescale % FPS).toBe(0);
    expect(frames.map((f) => f.decodeTime)).toEqual(frames.map((_, i) => (i * timescale) / FPS));
    expect(frames.map((f) => f.duration)).toEqual(frames.map(() => timescale / FPS));
    expect(frames.map((f) => f.sampleCount)).toEqual(frames.map(() => 1));
    expect(frames.map((f) => f.sequenceNumber)).toEqual(frames.map((_, i) => i + 1));

    // Init and fragments are the whole stream but for the trailing mfra, which is skipped.
    const covered = concat(inits(events)[0]?.bytes ?? new Uint8Array(), ...frames.map((f) => f.bytes));
    expect(firstDifference(covered, mp4.subarray(0, covered.length))).toBe(-1);
    expect(String.fromCharCode(...mp4.subarray(covered.length + 4, covered.length + 8))).toBe('mfra');
    expect(reader.stats).toEqual({ skippedBoxes: 1, otherTrackFragments: 0 });
    expect(reader.bufferedBytes).toBe(0);
  });

  it('yields the same events however the stream is chunked', (context) => {
    if (name.startsWith('hevc') && x265Missing) context.skip('this ffmpeg has no libx265 encoder (`ffmpeg -encoders`), so there is no HEVC to read');
    const { mp4 } = fixture(name);
    const whole = digest(new Fmp4Reader().push(mp4));
    expect(whole).toHaveLength(1 + FRAMES);
    for (const seed of [1, 2, 3]) {
      const random = prng(seed);
      // Mostly small chunks that split headers, now and then a large one spanning boxes.
      const size = () => (random() < 0.9 ? 1 + Math.floor(random() * 64) : 1 + Math.floor(random() * 8192));
      expect(digest(readChunked(mp4, size)), `seed ${seed}`).toEqual(whole);
    }
    if (name === 'baseline') expect(digest(readChunked(mp4, () => 1))).toEqual(whole);
  });
});

describe('Fmp4Reader on a broken or unusual stream', () => {
  const parts = (mp4: Uint8Array) => {
    const events = new Fmp4Reader().push(mp4);
    const init = inits(events)[0]?.bytes ?? new Uint8Array();
    return { init, frames: fragments(events).map((f) => f.bytes) };
  };

  it('yields a new init when a moov comes again (a new stream), and reads the new stream against it', () => {
    const first = parts(fixture('baseline').mp4);
    const second = parts(fixture('high').mp4);
    const events = new Fmp4Reader().push(concat(first.init, ...first.frames.slice(0, 3), second.init, ...second.frames.slice(0, 2)));
    expect(events.map((e) => e.kind)).toEqual(['init', 'fragment', 'fragment', 'fragment', 'init', 'fragment', 'fragment']);
    expect(inits(events).map((i) => i.codec)).toEqual(['avc1.42C01E', 'avc1.640028']);
    expect(fragments(events).map((f) => f.decodeTime)).toEqual([0, 120000, 240000, 0, 1024]);
  });

  it('skips styp, sidx, free and unknown boxes between fragments', () => {
    const { init, frames } = parts(fixture('baseline').mp4);
    const reader = new Fmp4Reader();
    const events = reader.push(concat(box('styp'), init, box('free'), frames[0] ?? new Uint8Array(), box('sidx'), box('zzzz'), frames[1] ?? new Uint8Array()));
    expect(events.map((e) => e.kind)).toEqual(['init', 'fragment', 'fragment']);
    expect(reader.stats.skippedBoxes).toBe(4);
  });

  it('keeps the last ftyp for a moov that comes without one', () => {
    const { init } = parts(fixture('baseline').mp4);
    const ftypLength = new DataView(init.buffer, init.byteOffset).getUint32(0);
    const events = new Fmp4Reader().push(concat(init, init.subarray(ftypLength)));
    const [a, b] = inits(events);
    expect(b?.bytes).toEqual(a?.bytes);
  });

  it('throws Fmp4Error for a fragment before any init, and keeps throwing until reset', () => {
    const { init, frames } = parts(fixture('baseline').mp4);
    const reader = new Fmp4Reader();
    expect(() => reader.push(frames[0] ?? new Uint8Array())).toThrow(/fmp4: a moof came before any moov/);
    expect(() => reader.push(init)).toThrow(Fmp4Error);
    reader.reset();
    expect(inits(reader.push(init))).toHaveLength(1);
  });

  it('throws Fmp4Error for a moof without its mdat, and an mdat without its moof', () => {
    const { init, frames } = parts(fixture('baseline').mp4);
    const frame = frames[1] ?? new Uint8Array();
    const moofLength = new DataView(frame.buffer, frame.byteOffset).getUint32(0);
    expect(() => new Fmp4Reader().push(concat(init, frame.subarray(0, moofLength), frame))).toThrow(/fmp4: a 'moof' came where the mdat/);
    expect(() => new Fmp4Reader().push(concat(init, frame.subarray(moofLength)))).toThrow(/fmp4: an mdat came without a moof/);
  });

  it('throws Fmp4Error on a corrupt box size, after yielding what came before it', () => {
    const { mp4 } = fixture('baseline');
    const { init, frames } = parts(mp4);
    const before = init.length + (frames[0]?.length ?? 0);
    const corrupt = mp4.slice();
    new DataView(corrupt.buffer).setUint32(before, 3);
    const reader = new Fmp4Reader();
    expect(fragments(reader.push(corrupt.subarray(0, before)))).toHaveLength(1);
    expect(() => reader.push(corrupt.subarray(before))).toThrow(new Fmp4Error(`box 'moof' at byte ${before} declares 3 bytes, less than its own 8-byte header`));
  });

  it('throws Fmp4Error on a box over the cap passed in', () => {
    const { mp4 } = fixture('baseline');
    expect(() => new Fmp4Reader(1024).push(mp4)).toThrow(/fmp4: box 'mdat' at byte \d+ declares \d+ bytes, over the 1024-byte cap/);
  });
});
