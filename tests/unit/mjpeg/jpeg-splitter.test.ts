import { describe, expect, it } from 'vitest';
import { JpegSplitter } from '@/lib/mjpeg/jpeg-splitter';
import { JPEG_A, JPEG_B, rechunk, withEmbeddedThumbnail } from '../../helpers/jpeg-fixtures';

const stream = Buffer.concat([JPEG_A, JPEG_B, JPEG_A]);

// Frames as base64 text: vitest's deep equality on Buffers is byte by byte and far too slow here.
const text = (frames: Buffer[]) => frames.map((frame) => frame.toString('base64'));

function splitAll(chunks: Iterable<Uint8Array>, splitter = new JpegSplitter()): string[] {
  const frames: Buffer[] = [];
  for (const chunk of chunks) frames.push(...splitter.push(chunk));
  return text(frames);
}

describe('JpegSplitter', () => {
  it('returns each JPEG of a stream whole, in order', () => {
    expect(splitAll([stream])).toEqual(text([JPEG_A, JPEG_B, JPEG_A]));
  });

  it('gives the same frames whichever byte the stream is cut at', () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      const frames = splitAll([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(frames, `cut at byte ${cut}`).toEqual(text([JPEG_A, JPEG_B, JPEG_A]));
    }
  });

  it('gives the same frames under random re-chunking, down to single bytes', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const frames = splitAll(rechunk(stream, seed, seed % 3 === 0 ? 3 : 700));
      expect(frames, `seed ${seed}`).toEqual(text([JPEG_A, JPEG_B, JPEG_A]));
    }
  });

  it('skips garbage before the first frame and between frames', () => {
    const garbage = Buffer.from([0x00, 0xff, 0x12, 0xff, 0xff, 0xd9, 0x42]);
    const splitter = new JpegSplitter();
    const frames = splitAll([Buffer.concat([garbage, JPEG_A, garbage, JPEG_B])], splitter);
    expect(frames).toEqual(text([JPEG_A, JPEG_B]));
    expect(splitter.stats.skippedBytes).toBe(garbage.length * 2);
  });

  it('does not end a frame at the FF D9 of an embedded EXIF thumbnail', () => {
    const withThumbnail = withEmbeddedThumbnail(JPEG_B, JPEG_A);
    for (let seed = 1; seed <= 50; seed += 1) {
      expect(splitAll(rechunk(Buffer.concat([withThumbnail, JPEG_A]), seed, 300))).toEqual(text([withThumbnail, JPEG_A]));
    }
  });

  it('drops a frame that exceeds the size limit and finds the next one', () => {
    const splitter = new JpegSplitter(JPEG_A.length + 100);
    const neverEnding = Buffer.concat([JPEG_A.subarray(0, JPEG_A.length - 2), Buffer.alloc(500, 0x11)]);
    const frames = [neverEnding, JPEG_B, JPEG_A].flatMap((chunk) => splitter.push(chunk));
    expect(splitter.stats.oversizedFrames).toBe(1);
    expect(text(frames)).toEqual(text([JPEG_B, JPEG_A]));
  });

  it('drops a frame cut short by the start of the next one', () => {
    const truncated = JPEG_A.subarray(0, 200);
    expect(splitAll([Buffer.concat([truncated, JPEG_B])])).toEqual(text([JPEG_B]));
  });

  it('hands out copies that later input does not overwrite', () => {
    const splitter = new JpegSplitter();
    const [first] = splitter.push(JPEG_A);
    splitter.push(JPEG_B);
    expect(first).toEqual(JPEG_A);
  });
});
