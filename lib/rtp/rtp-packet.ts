/**
 * The fixed RTP header (RFC 3550 §5.1) read off one packet, as it comes from a UDP datagram or an
 * RTSP interleaved frame. Pure and allocation-light: it runs for every packet of every camera, so
 * the payload is a view into the packet's bytes, not a copy.
 */

export type RtpPacket = {
  payloadType: number;
  sequence: number;
  /** uint32, in the payload format's clock (90 kHz for video). */
  timestamp: number;
  marker: boolean;
  ssrc: number;
  /** A view of `bytes`: CSRCs, header extension and padding removed. */
  payload: Uint8Array;
};

const FIXED_HEADER_BYTES = 12;
const VERSION = 2;

/**
 * Undefined for what cannot be an RTP packet: a version other than 2, or lengths that do not add
 * up (CSRCs, extension or padding past the end). Such packets are dropped rather than thrown for:
 * a stray datagram on the port is not a broken stream.
 */
export function parseRtpPacket(bytes: Uint8Array): RtpPacket | undefined {
  const length = bytes.length;
  if (length < FIXED_HEADER_BYTES) return undefined;
  const first = bytes[0]!;
  if (first >>> 6 !== VERSION) return undefined;

  let start = FIXED_HEADER_BYTES + 4 * (first & 0x0f);
  if (first & 0x10) {
    // The extension's length counts 32-bit words after its own 4-byte header.
    if (start + 4 > length) return undefined;
    start += 4 + 4 * ((bytes[start + 2]! << 8) | bytes[start + 3]!);
  }
  let end = length;
  if (first & 0x20) {
    // The last byte counts the padding, itself included, so 0 is as wrong as too many.
    const padding = bytes[length - 1]!;
    if (padding === 0) return undefined;
    end -= padding;
  }
  if (start > end) return undefined;

  const second = bytes[1]!;
  return {
    payloadType: second & 0x7f,
    sequence: (bytes[2]! << 8) | bytes[3]!,
    timestamp: ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0,
    marker: (second & 0x80) !== 0,
    ssrc: ((bytes[8]! << 24) | (bytes[9]! << 16) | (bytes[10]! << 8) | bytes[11]!) >>> 0,
    payload: bytes.subarray(start, end),
  };
}
