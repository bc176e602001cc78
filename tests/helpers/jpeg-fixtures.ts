import { readFileSync } from 'node:fs';
import path from 'node:path';

const fixtures = path.join(__dirname, '..', 'fixtures');

export const JPEG_A = readFileSync(path.join(fixtures, 'small-a.jpg'));
export const JPEG_B = readFileSync(path.join(fixtures, 'small-b.jpg'));

/** A JPEG whose APP1 (EXIF) segment carries a whole thumbnail JPEG, FF D9 included. */
export function withEmbeddedThumbnail(jpeg: Buffer, thumbnail: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from('Exif\0\0'), thumbnail]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/** Splits bytes into chunks of random sizes (1 … maxChunk) from a seeded generator. */
export function rechunk(bytes: Uint8Array, seed: number, maxChunk: number): Uint8Array[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}
