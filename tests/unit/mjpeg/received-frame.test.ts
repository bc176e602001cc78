import { describe, expect, it } from 'vitest';
import { BOUNDARY, encodePart, STREAM_PREAMBLE } from '@/lib/mjpeg/multipart';
import { MultipartReader } from '@/lib/mjpeg/multipart-reader';
import { newestFrames, receivedFrame } from '@/lib/mjpeg/received-frame';

const jpeg = (marker: number) => new Uint8Array([0xff, 0xd8, marker, 0xff, 0xd9]);

/** Parts as the browser's reader gets them from the wire, headers spelled as the server writes them. */
function served(...parts: { camera?: string; marker: number; still?: boolean }[]) {
  const reader = new MultipartReader(BOUNDARY);
  const bytes = parts.map(({ camera, marker, still }) =>
    encodePart(jpeg(marker), { ...(camera ? { 'X-Camera': camera } : {}), 'X-Frame-Timestamp': '1', ...(still ? { 'X-Frame-Still': '1' } : {}) }),
  );
  return reader.push(Buffer.concat([STREAM_PREAMBLE, ...bytes]));
}

describe('a received frame', () => {
  it('is live unless the server marks it X-Frame-Still: 1', () => {
    const [live, still] = served({ camera: 'porch', marker: 1 }, { camera: 'porch', marker: 2, still: true });
    expect(receivedFrame(live!)).toEqual({ cameraId: 'porch', jpeg: jpeg(1), still: false });
    expect(receivedFrame(still!)).toEqual({ cameraId: 'porch', jpeg: jpeg(2), still: true });
  });

  it('has no camera id on a stream that does not name it', () => {
    expect(receivedFrame(served({ marker: 1 })[0]!).cameraId).toBeUndefined();
  });
});

describe('the newest frames of a chunk', () => {
  it('keeps only the last frame of each camera', () => {
    const frames = newestFrames(
      served({ camera: 'a', marker: 1 }, { camera: 'b', marker: 2 }, { camera: 'a', marker: 3 }, { camera: 'b', marker: 4 }),
    );
    expect(frames.map((frame) => [frame.cameraId, frame.jpeg[2]])).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
  });

  it('lets a live frame that follows a still replace it, so the tile goes live', () => {
    const frames = newestFrames(served({ camera: 'a', marker: 1, still: true }, { camera: 'a', marker: 2 }));
    expect(frames).toEqual([{ cameraId: 'a', jpeg: jpeg(2), still: false }]);
  });

  it('treats a stream without camera names as one camera', () => {
    expect(newestFrames(served({ marker: 1 }, { marker: 2 })).map((frame) => frame.jpeg[2])).toEqual([2]);
  });
});
