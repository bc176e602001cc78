import { describe, expect, it } from 'vitest';
import { parseRtpPacket } from '@/lib/rtp/rtp-packet';

const PAYLOAD = Uint8Array.of(0x65, 1, 2, 3, 4);

/** A packet as a camera sends it: fixed header, CSRCs, a header extension, padding. */
function packet({ csrcs = 0, extensionWords = -1, padding = 0, marker = false, payload = PAYLOAD } = {}): Uint8Array {
  const extension = extensionWords >= 0 ? 4 + 4 * extensionWords : 0;
  const start = 12 + 4 * csrcs + extension;
  const bytes = new Uint8Array(start + payload.length + padding).fill(0xaa);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x80 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs);
  view.setUint8(1, (marker ? 0x80 : 0) | 96);
  view.setUint16(2, 0xfffe);
  view.setUint32(4, 0xfedcba98);
  view.setUint32(8, 0x89abcdef);
  if (extension) view.setUint16(12 + 4 * csrcs + 2, extensionWords);
  bytes.set(payload, start);
  if (padding) bytes[bytes.length - 1] = padding;
  return bytes;
}

describe('parseRtpPacket', () => {
  it('reads the fixed header, uint32 fields unsigned', () => {
    expect(parseRtpPacket(packet({ marker: true }))).toEqual({
      payloadType: 96,
      sequence: 0xfffe,
      timestamp: 0xfedcba98,
      marker: true,
      ssrc: 0x89abcdef,
      payload: PAYLOAD,
    });
    expect(parseRtpPacket(packet())?.marker).toBe(false);
  });

  it('gives the payload past CSRCs and the header extension, without padding, as a view', () => {
    for (const shape of [{ csrcs: 15 }, { extensionWords: 0 }, { extensionWords: 3 }, { padding: 1 }, { padding: 7 }, { csrcs: 2, extensionWords: 1, padding: 4 }]) {
      const bytes = packet(shape);
      const parsed = parseRtpPacket(bytes);
      expect(parsed?.payload, JSON.stringify(shape)).toEqual(PAYLOAD);
      expect(parsed?.payload.buffer).toBe(bytes.buffer);
    }
  });

  it('allows an empty payload', () => {
    expect(parseRtpPacket(packet({ payload: new Uint8Array(0) }))?.payload.length).toBe(0);
    expect(parseRtpPacket(packet({ payload: new Uint8Array(0), padding: 3 }))?.payload.length).toBe(0);
  });

  it('refuses other versions, and lengths that do not add up', () => {
    const version = (v: number) => {
      const bytes = packet();
      bytes[0] = (bytes[0]! & 0x3f) | (v << 6);
      return bytes;
    };
    expect(parseRtpPacket(version(0))).toBeUndefined();
    expect(parseRtpPacket(version(1))).toBeUndefined();
    expect(parseRtpPacket(version(3))).toBeUndefined();
    expect(parseRtpPacket(packet().subarray(0, 11))).toBeUndefined();
    expect(parseRtpPacket(new Uint8Array(0))).toBeUndefined();

    // CSRCs past the end.
    expect(parseRtpPacket(packet({ csrcs: 2 }).subarray(0, 12 + 7))).toBeUndefined();
    // An extension header cut, or an extension longer than the packet.
    expect(parseRtpPacket(packet({ extensionWords: 0, payload: new Uint8Array(0) }).subarray(0, 14))).toBeUndefined();
    const longExtension = packet({ extensionWords: 1 });
    longExtension[14] = 0x01;
    expect(parseRtpPacket(longExtension)).toBeUndefined();
    // Padding of 0, or more padding than payload.
    const zeroPadding = packet({ padding: 2 });
    zeroPadding[zeroPadding.length - 1] = 0;
    expect(parseRtpPacket(zeroPadding)).toBeUndefined();
    const overPadded = packet({ padding: 2 });
    overPadded[overPadded.length - 1] = PAYLOAD.length + 3;
    expect(parseRtpPacket(overPadded)).toBeUndefined();
  });

  it('reads the header from a view into a larger buffer, as an interleaved RTSP frame gives it', () => {
    const bytes = packet({ csrcs: 1 });
    const larger = new Uint8Array(bytes.length + 10);
    larger.set(bytes, 4);
    expect(parseRtpPacket(larger.subarray(4, 4 + bytes.length))?.payload).toEqual(PAYLOAD);
  });
});
