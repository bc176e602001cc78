import { describe, expect, it } from 'vitest';
import { BOUNDARY, encodePart, MULTIPART_CONTENT_TYPE, STREAM_PREAMBLE } from '@/lib/mjpeg/multipart';
import { boundaryFromContentType, MultipartReader } from '@/lib/mjpeg/multipart-reader';
import { JPEG_A, JPEG_B, rechunk } from '../../helpers/jpeg-fixtures';

const served = Buffer.concat([STREAM_PREAMBLE, encodePart(JPEG_A, { 'X-Frame-Timestamp': '1700000000000' }), encodePart(JPEG_B)]);

describe('multipart encoding', () => {
  it('declares its boundary in the content type', () => {
    expect(boundaryFromContentType(MULTIPART_CONTENT_TYPE)).toBe(BOUNDARY);
    expect(boundaryFromContentType('multipart/x-mixed-replace;boundary="--my frame"')).toBe('--my frame');
  });

  it('writes Content-Type and Content-Length in every part, and ends each part with the next boundary', () => {
    const part = Buffer.from(encodePart(JPEG_A)).toString('latin1');
    expect(part.startsWith(`Content-Type: image/jpeg\r\nContent-Length: ${JPEG_A.length}\r\n\r\n`)).toBe(true);
    // Chromium shows a part only once the following boundary has arrived.
    expect(part.endsWith(`\r\n--${BOUNDARY}\r\n`)).toBe(true);
    expect(Buffer.from(STREAM_PREAMBLE).toString()).toBe(`--${BOUNDARY}\r\n`);
  });

  it('reads back every part with its headers, however the bytes are chunked', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const reader = new MultipartReader(BOUNDARY);
      const parts = rechunk(served, seed, seed % 2 ? 5 : 900).flatMap((chunk) => reader.push(chunk));
      expect(parts.map((part) => Buffer.from(part.body).toString('base64')), `seed ${seed}`).toEqual(
        [JPEG_A, JPEG_B].map((jpeg) => jpeg.toString('base64')),
      );
      expect(parts[0]?.headers['x-frame-timestamp']).toBe('1700000000000');
      expect(parts[1]?.headers['content-type']).toBe('image/jpeg');
    }
  });

  it('reads parts from servers that send no Content-Length, with a preamble, and stops at the close delimiter', () => {
    const foreign = Buffer.concat([
      Buffer.from('preamble text\r\n--frame\r\nContent-Type: image/jpeg\r\n\r\n'),
      JPEG_A,
      Buffer.from('\r\n--frame\r\nContent-Type: image/jpeg\r\n\r\n'),
      JPEG_B,
      Buffer.from('\r\n--frame--\r\n'),
    ]);
    const reader = new MultipartReader('frame');
    const parts = rechunk(foreign, 7, 64).flatMap((chunk) => reader.push(chunk));
    expect(parts.map((part) => Buffer.from(part.body).equals(parts.indexOf(part) === 0 ? JPEG_A : JPEG_B))).toEqual([true, true]);
    expect(reader.ended).toBe(true);
  });
});
