import { describe, expect, it } from 'vitest';
import { gridStreamUrl } from '@/components/grid-stream-controller';
import { sortGridParts } from '@/components/grid-parts';
import { BOUNDARY, encodePart, STREAM_PREAMBLE } from '@/lib/mjpeg/multipart';
import { MultipartReader } from '@/lib/mjpeg/multipart-reader';
import { VIDEO_CONTENT_TYPE } from '@/lib/live/video-part';

const jpeg = (marker: number) => new Uint8Array([0xff, 0xd8, marker, 0xff, 0xd9]);
const bytes = (marker: number) => new Uint8Array([marker]);

type Part = { camera: string; marker: number; video?: 'init' | 'fragment' | 'ended' };

/** A chunk as the browser's reader gets it from the grid's stream, headers spelled as the server writes them. */
function chunk(...parts: Part[]) {
  const encoded = parts.map(({ camera, marker, video }) =>
    video
      ? encodePart(bytes(marker), { 'X-Camera': camera, 'X-Video': video }, VIDEO_CONTENT_TYPE)
      : encodePart(jpeg(marker), { 'X-Camera': camera, 'X-Frame-Timestamp': '1' }),
  );
  return new MultipartReader(BOUNDARY).push(Buffer.concat([STREAM_PREAMBLE, ...encoded]));
}

describe("the grid stream's parts, sorted for the tiles", () => {
  it('keeps every video part, in order, and of JPEGs only the newest per camera', () => {
    const sorted = sortGridParts(
      chunk(
        { camera: 'v', marker: 1, video: 'init' },
        { camera: 'j', marker: 2 },
        { camera: 'v', marker: 3, video: 'fragment' },
        { camera: 'j', marker: 4 },
        { camera: 'v', marker: 5, video: 'fragment' },
        { camera: 'w', marker: 6, video: 'ended' },
      ),
    );
    expect(sorted.video.map((part) => [part.headers['x-camera'], part.headers['x-video'], part.body[0]])).toEqual([
      ['v', 'init', 1],
      ['v', 'fragment', 3],
      ['v', 'fragment', 5],
      ['w', 'ended', 6],
    ]);
    expect(sorted.frames.map((frame) => [frame.cameraId, frame.jpeg[2]])).toEqual([['j', 4]]);
  });
});

describe("the grid stream's address", () => {
  it('names the video cameras apart, and leaves `video=` out when there are none', () => {
    expect(gridStreamUrl(['a', 'b', 'c'], ['a', 'c'])).toBe('/api/grid/stream?cameras=a%2Cb%2Cc&video=a%2Cc');
    expect(gridStreamUrl(['a', 'b'], [])).toBe('/api/grid/stream?cameras=a%2Cb');
  });
});
