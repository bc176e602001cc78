/**
 * A camera's side of RFC 6184 (packetization mode 1), for tests: each access unit's NAL units as
 * RTP packets no larger than an MTU. Small NAL units in a row share a STAP-A, one that fits goes
 * alone, a larger one is cut into FU-As. The marker bit ends each unit, unless told otherwise.
 */

export type PacketizerOptions = {
  /** RTP header and payload, in bytes (CSRCs, extension and padding come on top). */
  mtu: number;
  marker?: boolean;
  firstSequence?: number;
  ssrc?: number;
  payloadType?: number;
  /** Never aggregate: each small NAL unit in a packet of its own. */
  noStapA?: boolean;
  /** CSRC count, extension words and padding bytes for each packet, to exercise the header parser. */
  extras?: () => { csrcs: number; extensionWords: number; padding: number };
};

const HEADER = 12;

export class RtpPacketizer {
  private sequence: number;

  constructor(private readonly options: PacketizerOptions) {
    this.sequence = (options.firstSequence ?? 0) & 0xffff;
  }

  packetize(nalus: Uint8Array[], timestamp: number, mtu = this.options.mtu): Uint8Array[] {
    const payloads: Uint8Array[] = [];
    const room = mtu - HEADER;
    for (let i = 0; i < nalus.length; ) {
      const nal = nalus[i]!;
      if (nal.length > room) {
        payloads.push(...fragments(nal, room - 2));
        i += 1;
        continue;
      }
      let end = i + 1;
      let size = 1 + 2 + nal.length;
      while (!this.options.noStapA && end < nalus.length && size + 2 + nalus[end]!.length <= room) {
        size += 2 + nalus[end]!.length;
        end += 1;
      }
      payloads.push(end - i > 1 ? aggregate(nalus.slice(i, end)) : nal);
      i = end;
    }
    return payloads.map((payload, n) => this.packet(payload, timestamp, n === payloads.length - 1 && this.options.marker !== false));
  }

  private packet(payload: Uint8Array, timestamp: number, marker: boolean): Uint8Array {
    const { csrcs, extensionWords, padding } = this.options.extras?.() ?? { csrcs: 0, extensionWords: -1, padding: 0 };
    const extension = extensionWords >= 0 ? 4 + 4 * extensionWords : 0;
    const start = HEADER + 4 * csrcs + extension;
    const bytes = new Uint8Array(start + payload.length + padding).fill(0xee);
    const view = new DataView(bytes.buffer);
    view.setUint8(0, 0x80 | (padding > 0 ? 0x20 : 0) | (extension > 0 ? 0x10 : 0) | csrcs);
    view.setUint8(1, (marker ? 0x80 : 0) | (this.options.payloadType ?? 96));
    view.setUint16(2, this.sequence);
    view.setUint32(4, timestamp >>> 0);
    view.setUint32(8, this.options.ssrc ?? 0x1234abcd);
    if (extension > 0) view.setUint16(HEADER + 4 * csrcs + 2, extensionWords);
    bytes.set(payload, start);
    if (padding > 0) bytes[bytes.length - 1] = padding;
    this.sequence = (this.sequence + 1) & 0xffff;
    return bytes;
  }
}

function aggregate(nalus: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + nalus.reduce((sum, nal) => sum + 2 + nal.length, 0));
  // F is the OR of the units' F bits, NRI their highest (RFC 6184 §5.7).
  out[0] = nalus.reduce((nri, nal) => Math.max(nri, nal[0]! & 0x60), 0) | 24;
  let at = 1;
  for (const nal of nalus) {
    out[at] = nal.length >> 8;
    out[at + 1] = nal.length & 0xff;
    out.set(nal, at + 2);
    at += 2 + nal.length;
  }
  return out;
}

function fragments(nal: Uint8Array, chunk: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const body = nal.subarray(1);
  for (let at = 0; at < body.length; at += chunk) {
    const part = body.subarray(at, at + chunk);
    const fu = new Uint8Array(2 + part.length);
    fu[0] = (nal[0]! & 0xe0) | 28;
    fu[1] = (at === 0 ? 0x80 : 0) | (at + chunk >= body.length ? 0x40 : 0) | (nal[0]! & 0x1f);
    fu.set(part, 2);
    out.push(fu);
  }
  return out;
}
