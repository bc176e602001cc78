/**
 * Cuts ffmpeg's raw grey output (one byte a pixel, frame after frame, nothing between) back into
 * frames. Pipes deliver it in chunks of any size, so a frame may arrive in pieces or several in one.
 */
export class GreyFrameSplitter {
  private pending: Uint8Array;
  private filled = 0;

  constructor(private readonly frameBytes: number) {
    if (!(frameBytes > 0) || !Number.isInteger(frameBytes)) throw new Error(`a grey frame must be a whole number of bytes, not ${frameBytes}`);
    this.pending = new Uint8Array(frameBytes);
  }

  /** The frames completed by this chunk, each in a buffer of its own (the detector may keep it). */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const taken = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      this.pending.set(chunk.subarray(offset, offset + taken), this.filled);
      this.filled += taken;
      offset += taken;
      if (this.filled === this.frameBytes) {
        frames.push(this.pending);
        this.pending = new Uint8Array(this.frameBytes);
        this.filled = 0;
      }
    }
    return frames;
  }
}
