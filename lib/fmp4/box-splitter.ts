/**
 * Cuts a byte stream (ffmpeg's fragmented MP4 on a pipe) into whole top-level ISO-BMFF boxes,
 * whatever its chunking. Pure: no IO, no timers, no Node APIs.
 *
 * A bad size is fatal rather than skipped: ISO-BMFF has no sync marker, so once a size is wrong
 * the next box boundary is unknowable, and guessing one by scanning for a likely type could hand
 * garbage to a decoder. The splitter then throws the same Fmp4Error on every push until reset(),
 * which is for a new stream (a restarted ffmpeg). Boxes completed earlier in the failing chunk are
 * lost with it: the stream is being abandoned anyway.
 */
import { Fmp4Error } from './fmp4-error';

/** A whole box, header included, in a buffer of its own that stays valid. */
export type Box = { type: string; bytes: Uint8Array };

export const DEFAULT_MAX_BOX_BYTES = 16 * 1024 * 1024;

const HEADER_BYTES = 8;
const LARGE_HEADER_BYTES = 16;

export class BoxSplitter {
  private readonly header = new Uint8Array(LARGE_HEADER_BYTES);
  private readonly headerView = new DataView(this.header.buffer);
  private headerLength = 0;
  // The box being read is allocated at its declared size as soon as its header is known, so a
  // large mdat arriving in many chunks is copied once, not concatenated anew for every chunk.
  private box: Uint8Array | undefined;
  private boxType = '';
  private filled = 0;
  // Where the current box starts in the stream, for error messages.
  private streamOffset = 0;
  private failure: Fmp4Error | undefined;

  constructor(private readonly maxBoxBytes = DEFAULT_MAX_BOX_BYTES) {}

  /** Feeds a chunk; returns the boxes it completed, in stream order. Throws Fmp4Error on a bad header. */
  push(chunk: Uint8Array): Box[] {
    if (this.failure) throw this.failure;
    const boxes: Box[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.box === undefined) {
        at += this.readHeader(chunk, at);
      } else {
        const take = Math.min(this.box.length - this.filled, chunk.length - at);
        this.box.set(chunk.subarray(at, at + take), this.filled);
        this.filled += take;
        at += take;
      }
      this.emitIfComplete(boxes);
    }
    return boxes;
  }

  /** Bytes held of a box not yet complete: non-zero when a stream ends mid-box. */
  get bufferedBytes(): number {
    return this.box === undefined ? this.headerLength : this.filled;
  }

  /** Forgets the partial box and any failure, for a new stream. */
  reset(): void {
    this.headerLength = 0;
    this.box = undefined;
    this.filled = 0;
    this.streamOffset = 0;
    this.failure = undefined;
  }

  /** Gathers header bytes; allocates the box once the header is whole. Returns the bytes taken. */
  private readHeader(chunk: Uint8Array, at: number): number {
    const take = Math.min(this.headerNeeded() - this.headerLength, chunk.length - at);
    this.header.set(chunk.subarray(at, at + take), this.headerLength);
    this.headerLength += take;
    if (this.headerLength < HEADER_BYTES) return take;

    if (this.headerLength === HEADER_BYTES) this.checkType();
    if (this.headerLength < this.headerNeeded()) return take;

    const size = this.declaredSize();
    this.box = new Uint8Array(size);
    this.box.set(this.header.subarray(0, this.headerLength));
    this.filled = this.headerLength;
    this.boxType = typeOf(this.header);
    this.headerLength = 0;
    return take;
  }

  private isLarge(): boolean {
    return this.headerLength >= HEADER_BYTES && this.headerView.getUint32(0) === 1;
  }

  private headerNeeded(): number {
    return this.isLarge() ? LARGE_HEADER_BYTES : HEADER_BYTES;
  }

  // Top-level types are printable four-character codes; anything else means the previous size
  // was wrong, and failing here names the real problem before a nonsense size does.
  private checkType(): void {
    for (let i = 4; i < 8; i++) {
      const c = this.header[i] ?? 0;
      if (c < 0x20 || c > 0x7e) {
        const hex = Array.from(this.header.subarray(4, 8), (b) => b.toString(16).padStart(2, '0')).join('');
        this.fail(`the box at byte ${this.streamOffset} has type 0x${hex}, not a four-character code: the stream is corrupt or not MP4`);
      }
    }
  }

  private declaredSize(): number {
    const size32 = this.headerView.getUint32(0);
    const type = typeOf(this.header);
    const where = `box '${type}' at byte ${this.streamOffset}`;
    if (size32 === 0) this.fail(`${where} has size 0 (runs to the end of the file), which a stream cannot be split by`);
    if (size32 !== 1) {
      if (size32 < HEADER_BYTES) this.fail(`${where} declares ${size32} bytes, less than its own 8-byte header`);
      if (size32 > this.maxBoxBytes) this.fail(`${where} declares ${size32} bytes, over the ${this.maxBoxBytes}-byte cap`);
      return size32;
    }
    const large = this.headerView.getBigUint64(8);
    if (large < BigInt(LARGE_HEADER_BYTES)) this.fail(`${where} declares a 64-bit size of ${large}, less than its own 16-byte header`);
    if (large > BigInt(this.maxBoxBytes)) this.fail(`${where} declares a 64-bit size of ${large} bytes, over the ${this.maxBoxBytes}-byte cap`);
    return Number(large);
  }

  private emitIfComplete(boxes: Box[]): void {
    if (this.box === undefined || this.filled < this.box.length) return;
    boxes.push({ type: this.boxType, bytes: this.box });
    this.streamOffset += this.box.length;
    this.box = undefined;
    this.filled = 0;
  }

  private fail(problem: string): never {
    this.failure = new Fmp4Error(problem);
    throw this.failure;
  }
}

function typeOf(header: Uint8Array): string {
  return String.fromCharCode(header[4] ?? 0, header[5] ?? 0, header[6] ?? 0, header[7] ?? 0);
}
