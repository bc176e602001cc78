/**
 * Big-endian bits and exp-Golomb codes (H.264 §9.1) of an RBSP (emulation prevention already
 * removed), for the SPS parser and the slice-header peek, failing at its end rather than reading zeros.
 */
import { H264Error } from './h264-error';

export class RbspReader {
  private position: number;
  private readonly limit: number;

  /** `subject` names what is read in the errors: "the SPS", "the slice header". */
  constructor(
    private readonly bytes: Uint8Array,
    startByte: number,
    private readonly subject: string,
  ) {
    this.position = startByte * 8;
    this.limit = bytes.length * 8;
  }

  u(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + this.bit();
    return value;
  }

  flag(): boolean {
    return this.bit() === 1;
  }

  /** ue(v), refusing values above `max`: the syntax element's range, so corrupt data is caught where it goes wrong. */
  ue(name: string, max: number): number {
    const value = this.codeNum();
    if (value > max) throw new H264Error(`${this.subject}'s ${name} is ${value}, above its maximum ${max}`);
    return value;
  }

  se(): number {
    const code = this.codeNum();
    return code % 2 === 1 ? (code + 1) / 2 : -code / 2;
  }

  private codeNum(): number {
    let leadingZeros = 0;
    while (this.bit() === 0) {
      // 31 zeros already exceed every field of an SPS or a slice header; past that it is garbage, not a number.
      if (++leadingZeros > 31) throw new H264Error(`${this.subject} holds an exp-Golomb code longer than 32 bits`);
    }
    return 2 ** leadingZeros - 1 + this.u(leadingZeros);
  }

  private bit(): number {
    if (this.position >= this.limit) throw new H264Error(`${this.subject} ends in the middle of its fields`);
    const byte = this.bytes[this.position >>> 3]!;
    const bit = (byte >>> (7 - (this.position & 7))) & 1;
    this.position += 1;
    return bit;
  }
}
