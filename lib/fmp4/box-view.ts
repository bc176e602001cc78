/**
 * Bounds-checked reading inside one whole box, for the init and fragment parsers. Every read is
 * checked against the box's own end, not just the buffer's, so a child whose size overruns its
 * parent is reported as a corrupt box instead of being read from its neighbour's bytes.
 */
import { Fmp4Error } from './fmp4-error';

export class BoxView {
  private constructor(
    private readonly data: DataView,
    private readonly bytes: Uint8Array,
    readonly type: string,
    /** Where the payload (after the header) starts in `bytes`. */
    private readonly payload: number,
    private readonly end: number,
  ) {}

  /** A view of a whole box, as the splitter returns it. */
  static of(bytes: Uint8Array): BoxView {
    const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = readHeader(data, bytes, 0, bytes.length, 'the stream');
    return new BoxView(data, bytes, header.type, header.payload, header.end);
  }

  get size(): number {
    return this.end - this.payload;
  }

  u8(at: number): number {
    return this.data.getUint8(this.check(at, 1));
  }

  u16(at: number): number {
    return this.data.getUint16(this.check(at, 2));
  }

  u32(at: number): number {
    return this.data.getUint32(this.check(at, 4));
  }

  /** A 64-bit field as a number; beyond 2^53 it would silently lose precision, so it throws instead. */
  u64(at: number): number {
    const value = this.data.getBigUint64(this.check(at, 8));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Fmp4Error(`'${this.type}' holds a 64-bit value ${value} beyond 2^53`);
    return Number(value);
  }

  fourcc(at: number): string {
    const start = this.check(at, 4);
    return String.fromCharCode(...this.bytes.subarray(start, start + 4));
  }

  /** The payload bytes from `at` to the box's end, as a view (no copy). */
  tail(at: number): Uint8Array {
    return this.bytes.subarray(this.check(at, 0), this.end);
  }

  /** A full box's version (its first payload byte). */
  get version(): number {
    return this.u8(0);
  }

  /** A full box's 24 flag bits. */
  get flags(): number {
    return this.u32(0) & 0xffffff;
  }

  /** The boxes inside this one, starting `at` bytes into the payload (past a full box's fields, a sample entry's...). */
  children(at = 0): BoxView[] {
    const found: BoxView[] = [];
    for (let offset = this.check(at, 0); offset < this.end; ) {
      const header = readHeader(this.data, this.bytes, offset, this.end, `'${this.type}'`);
      found.push(new BoxView(this.data, this.bytes, header.type, header.payload, header.end));
      offset = header.end;
    }
    return found;
  }

  child(type: string, at = 0): BoxView | undefined {
    return this.children(at).find((box) => box.type === type);
  }

  /** A child the format requires: its absence means the box is not what we can read. */
  required(type: string, at = 0): BoxView {
    const found = this.child(type, at);
    if (!found) throw new Fmp4Error(`'${this.type}' has no '${type}' box`);
    return found;
  }

  private check(at: number, length: number): number {
    const start = this.payload + at;
    if (at < 0 || start + length > this.end) throw new Fmp4Error(`'${this.type}' is too short: ${this.size} bytes, read at ${at}`);
    return start;
  }
}

function readHeader(data: DataView, bytes: Uint8Array, offset: number, limit: number, parent: string) {
  if (limit - offset < 8) throw new Fmp4Error(`${parent} ends with ${limit - offset} stray bytes where a box header should be`);
  const size32 = data.getUint32(offset);
  const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
  let payload = offset + 8;
  let size: number;
  if (size32 === 1) {
    if (limit - offset < 16) throw new Fmp4Error(`box '${type}' in ${parent} is cut inside its 64-bit size`);
    const large = data.getBigUint64(offset + 8);
    payload = offset + 16;
    size = large > BigInt(limit - offset) ? Infinity : Number(large);
  } else {
    // Inside a parent, size 0 legally means "to the parent's end".
    size = size32 === 0 ? limit - offset : size32;
  }
  if (size < payload - offset) throw new Fmp4Error(`box '${type}' in ${parent} declares ${size} bytes, less than its own header`);
  if (offset + size > limit) {
    throw new Fmp4Error(`box '${type}' in ${parent} declares ${size === Infinity ? 'more' : size} bytes, but only ${limit - offset} remain`);
  }
  return { type, payload, end: offset + size };
}
