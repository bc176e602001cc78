import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { continueSegmentScan, scanSegmentFile, type SegmentFileScan } from '@/lib/recording/segment-file';
import { encodeStream, ffmpegPath, FPS, GOP, parseStream, type ParsedStream } from './recorded-fixture';

const SECONDS = 3;
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-segment-file-'));
const file = path.join(directory, 'segment.mp4');
let bytes: Uint8Array;
let stream: ParsedStream;
let full: SegmentFileScan;

beforeAll(async () => {
  bytes = await encodeStream(await ffmpegPath(), SECONDS);
  stream = parseStream(bytes);
  writeFileSync(file, bytes);
  full = await scanSegmentFile(file);
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('reading a segment file back', () => {
  it('finds the init segment and every fragment of ffmpeg’s output, as a stream reader sees them', () => {
    expect(full.init.codec).toMatch(/^avc1\./);
    expect([full.init.width, full.init.height]).toEqual([320, 180]);
    expect(full.initBytes).toBe(stream.init.bytes.length);
    expect(full.fragments).toHaveLength(SECONDS * FPS);
    expect(full.fragments.map((fragment) => [fragment.decodeTime, fragment.size, fragment.keyframe])).toEqual(
      stream.fragments.map((fragment) => [fragment.decodeTime, fragment.bytes.length, fragment.keyframe]),
    );
    expect(full.fragments.filter((fragment) => fragment.keyframe)).toHaveLength(SECONDS * FPS / GOP);
    // Back to back after the init; ffmpeg's closing mfra is skipped, not an error.
    let offset = full.initBytes;
    for (const fragment of full.fragments) {
      expect(fragment.offset).toBe(offset);
      expect(fragment.duration).toBe(full.init.timescale / FPS);
      offset += fragment.size;
    }
    expect(full.wholeBytes).toBe(bytes.length);
    expect([full.trailingBytes, full.stoppedBecause]).toEqual([0, undefined]);
  });

  it('ends a file cut at any offset at its last whole fragment, and counts the bytes after it', async () => {
    let seed = 19;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const fragmentEnds = full.fragments.map((fragment) => fragment.offset + fragment.size);
    const cuts = [full.initBytes, full.initBytes + 1, fragmentEnds[0]!, fragmentEnds[0]! + 8, fragmentEnds[10]! - 1];
    for (let n = 0; n < 40; n += 1) cuts.push(full.initBytes + Math.floor(random() * (bytes.length - full.initBytes)));
    for (const cut of cuts) {
      writeFileSync(file, bytes.subarray(0, cut));
      const scan = await scanSegmentFile(file);
      const whole = fragmentEnds.filter((end) => end <= cut).length;
      expect(scan.fragments, `cut at ${cut}`).toEqual(full.fragments.slice(0, whole));
      expect(scan.wholeBytes + scan.trailingBytes, `cut at ${cut}`).toBe(cut);
      expect(scan.trailingBytes, `cut at ${cut}`).toBe(cut - (whole === 0 ? full.initBytes : fragmentEnds[whole - 1]!));
    }
  });

  it('refuses a file cut inside its init segment, naming it', async () => {
    for (const cut of [0, 7, 30, full.initBytes - 1]) {
      writeFileSync(file, bytes.subarray(0, cut));
      await expect(scanSegmentFile(file), `cut at ${cut}`).rejects.toThrow(/^recording: .*segment\.mp4 has no init segment/);
    }
    await expect(scanSegmentFile(path.join(directory, 'none.mp4'))).rejects.toThrow(/cannot open .*none\.mp4: ENOENT/);
  });

  it('reads on from where it stopped while the file grows, as a scan from the start would', async () => {
    const cut = full.fragments[20]!.offset + 50;
    writeFileSync(file, bytes.subarray(0, cut));
    const partial = await scanSegmentFile(file);
    expect(partial.fragments).toHaveLength(20);
    expect(await continueSegmentScan(file, partial)).toBe(partial); // not grown: the same scan
    appendFileSync(file, bytes.subarray(cut));
    const continued = await continueSegmentScan(file, partial);
    expect(continued).toEqual(full);
    expect(partial.fragments).toHaveLength(20); // the earlier scan is left as it was
  });

  it('stops at a box that is not a fragment, and says where', async () => {
    const third = full.fragments[3]!.offset;
    const junk = Buffer.from([0, 0, 0, 16, ...Buffer.from('junk'), 1, 2, 3, 4, 5, 6, 7, 8]);
    writeFileSync(file, Buffer.concat([bytes.subarray(0, third), junk, bytes.subarray(third)]));
    const scan = await scanSegmentFile(file);
    expect(scan.fragments).toEqual(full.fragments.slice(0, 3));
    expect(scan.stoppedBecause).toMatch(new RegExp(`'junk' box of 16 bytes at ${third}`));
    expect(scan.trailingBytes).toBe(bytes.length + 16 - third);
  });
});
