/** Hand-built ISO-BMFF boxes, for the cases ffmpeg never writes. */

export const u8 = (value: number): Uint8Array => Uint8Array.of(value);

export const u16 = (value: number): Uint8Array => Uint8Array.of(value >>> 8, value & 0xff);

export function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0);
  return bytes;
}

export function u64(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value);
  return bytes;
}

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

export function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

export const box = (type: string, ...payload: Uint8Array[]): Uint8Array => {
  const body = concat(...payload);
  return concat(u32(8 + body.length), ascii(type), body);
};

/** The same box with a 64-bit size (size field 1, then largesize). */
export const largeBox = (type: string, ...payload: Uint8Array[]): Uint8Array => {
  const body = concat(...payload);
  return concat(u32(1), ascii(type), u64(BigInt(16 + body.length)), body);
};

export const fullBox = (type: string, version: number, flags: number, ...payload: Uint8Array[]): Uint8Array =>
  box(type, u32(((version & 0xff) << 24) | (flags & 0xffffff)), ...payload);

/**
 * Where two byte arrays first differ (their shorter length if one is a prefix), -1 if equal:
 * vitest's toEqual walks a megabyte array element by element for seconds.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}
