/**
 * Cuts a byte stream of concatenated JPEGs (ffmpeg's image2pipe, a camera's MJPEG) into whole
 * frames, whatever the chunking of the pipe. Pure: no IO, no timers.
 *
 * It walks the JPEG's marker segments rather than searching for the first FF D9, because an
 * EXIF thumbnail inside APP1 carries a complete JPEG of its own, FF D9 included. Inside
 * entropy-coded data a real FF is always stuffed as FF 00, so FF D9 there is the true end.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

export type SplitterStats = { frames: number; skippedBytes: number; oversizedFrames: number };

type State = 'seek-start' | 'segments' | 'entropy';

const copyOf = (jpeg: Buffer): Buffer => Buffer.from(jpeg);

export class JpegSplitter {
  private buffer: Buffer;
  // The filled part of the buffer, kept rather than cut anew for every FF searched for: a frame's
  // entropy data holds hundreds of stuffed FF 00s, and a view per search was most of the
  // splitter's garbage.
  private view: Buffer;
  private length = 0;
  private position = 0;
  private state: State = 'seek-start';
  readonly stats: SplitterStats = { frames: 0, skippedBytes: 0, oversizedFrames: 0 };

  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {
    this.buffer = Buffer.allocUnsafe(64 * 1024);
    this.view = this.buffer.subarray(0, 0);
  }

  /**
   * Feeds a chunk; returns the frames it completed. `take` gets each frame as a view of the
   * splitter's buffer, valid only during the call, and returns what the caller keeps of it: by
   * default a copy, or whatever the caller builds from it with a copy of its own.
   */
  push<T = Buffer>(chunk: Uint8Array, take: (jpeg: Buffer) => T = copyOf as (jpeg: Buffer) => T): T[] {
    this.append(chunk);
    const frames: T[] = [];
    for (let end = this.nextEnd(); end !== undefined; end = this.nextEnd()) {
      frames.push(take(this.buffer.subarray(0, end)));
      this.stats.frames += 1;
      this.shift(end);
      this.state = 'seek-start';
      this.position = 0;
    }
    if (this.state !== 'seek-start' && this.length > this.maxFrameBytes) {
      // A frame that never ends (or a stream that is not JPEG) must not grow without limit.
      this.stats.oversizedFrames += 1;
      this.discard(1);
    }
    return frames;
  }

  /** Where the next whole frame ends, if the buffer holds one (it starts at 0 by then). */
  private nextEnd(): number | undefined {
    for (;;) {
      const bytes = this.buffer;
      if (this.state === 'seek-start') {
        const start = this.findStart(0);
        if (start < 0) {
          // Keep a trailing FF: it may be the first half of the next SOI.
          const keep = this.length > 0 && bytes[this.length - 1] === 0xff ? 1 : 0;
          this.discard(this.length - keep);
          return undefined;
        }
        this.discard(start);
        this.position = 2;
        this.state = 'segments';
      }

      if (this.state === 'segments') {
        if (this.position + 2 > this.length) return undefined;
        if (bytes[this.position] !== 0xff) {
          this.resync();
          continue;
        }
        const marker = bytes[this.position + 1]!;
        if (marker === 0xff) {
          this.position += 1; // fill byte
          continue;
        }
        if (marker === EOI) return this.position + 2;
        if (marker === SOI) {
          // A new image began before this one ended: drop the broken one.
          this.discard(this.position);
          continue;
        }
        if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
          this.position += 2;
          continue;
        }
        if (this.position + 4 > this.length) return undefined;
        const segmentLength = bytes.readUInt16BE(this.position + 2);
        if (segmentLength < 2) {
          this.resync();
          continue;
        }
        const end = this.position + 2 + segmentLength;
        if (end > this.length) return undefined;
        this.position = end;
        if (marker === SOS) this.state = 'entropy';
        continue;
      }

      // Entropy-coded data: runs to the next marker that is neither stuffing nor a restart.
      const ff = this.view.indexOf(0xff, this.position);
      if (ff < 0 || ff === this.length - 1) {
        this.position = ff < 0 ? this.length : ff;
        return undefined;
      }
      const marker = bytes[ff + 1]!;
      if (marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7)) {
        this.position = ff + 2;
      } else if (marker === 0xff) {
        this.position = ff + 1;
      } else {
        // EOI, or the tables and next scan of a progressive JPEG.
        this.position = ff;
        this.state = 'segments';
      }
    }
  }

  /** Drops the current frame and looks for the next SOI after its start. */
  private resync(): void {
    this.discard(1);
  }

  private discard(count: number): void {
    this.stats.skippedBytes += count;
    this.shift(count);
    this.state = 'seek-start';
    this.position = 0;
  }

  private shift(count: number): void {
    if (count <= 0) return;
    this.buffer.copyWithin(0, count, this.length);
    this.setLength(this.length - count);
  }

  private findStart(from: number): number {
    let index = from;
    for (;;) {
      const ff = this.view.indexOf(0xff, index);
      if (ff < 0 || ff === this.length - 1) return -1;
      if (this.buffer[ff + 1] === SOI) return ff;
      index = ff + 1;
    }
  }

  private setLength(length: number): void {
    this.length = length;
    this.view = this.buffer.subarray(0, length);
  }

  private append(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.setLength(needed);
  }
}
