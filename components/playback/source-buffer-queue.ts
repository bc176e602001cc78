import { toRanges } from '../live/live-edge';
import { trimEnd, type Range } from './buffer-plan';

/** The start of a response: its codec, and the timestampOffset that puts it on the clock. */
export type ResponseStart = { codec: string; offset: number };

type Op = { kind: 'append'; bytes: Uint8Array<ArrayBuffer>; start?: ResponseStart } | { kind: 'remove'; start: number; end: number };

export const mimeType = (codec: string) => `video/mp4; codecs="${codec}"`;

// When the buffer is full, what lies this far behind the picture goes to make room.
const QUOTA_KEEP_BEHIND_S = 5;

/**
 * One SourceBuffer's updates, one at a time and in order: appends (each response's first one
 * placed by its timestampOffset) and removals. Made with the first response's codec.
 */
export class SourceBufferQueue {
  private readonly ops: Op[] = [];
  private codec: string;
  private readonly buffer: SourceBuffer;

  /** Throws (as addSourceBuffer does) when the source cannot take the codec. */
  constructor(
    private readonly mediaSource: MediaSource,
    codec: string,
    private readonly options: { currentTime(): number; onUpdateEnd(): void; onFail(reason: string): void },
  ) {
    this.buffer = mediaSource.addSourceBuffer(mimeType(codec));
    // Each response is placed by timestampOffset on its own clock time: a gap stays a gap.
    this.buffer.mode = 'segments';
    this.buffer.addEventListener('updateend', () => options.onUpdateEnd());
    this.codec = codec;
  }

  get buffered(): Range[] {
    return toRanges(this.buffer.buffered);
  }

  /** Nothing waiting: a trim may go in without holding up footage. */
  get idle(): boolean {
    return this.ops.length === 0;
  }

  /** A removal waits: the buffer is about to change under the picture. */
  get removing(): boolean {
    return this.ops.some((op) => op.kind === 'remove');
  }

  append(bytes: Uint8Array<ArrayBuffer>, start?: ResponseStart): void {
    this.ops.push({ kind: 'append', bytes, ...(start ? { start } : {}) });
    this.pump();
  }

  remove(start: number, end: number): void {
    this.ops.push({ kind: 'remove', start, end });
    this.pump();
  }

  /** Drops what waits (a seek elsewhere), and everything buffered. */
  clear(): void {
    this.ops.length = 0;
    this.remove(0, Number.POSITIVE_INFINITY);
  }

  dispose(): void {
    this.ops.length = 0;
  }

  pump(): void {
    const buffer = this.buffer;
    if (buffer.updating || this.mediaSource.readyState !== 'open') return;
    const op = this.ops.shift();
    if (!op) return;
    try {
      if (op.kind === 'remove') {
        const buffered = this.buffered;
        const end = Math.min(op.end, buffered.at(-1)?.end ?? 0);
        // Nothing there (or nothing yet: removing before the first append would throw).
        if (buffered.length === 0 || end <= Math.max(op.start, buffered[0]!.start)) return this.pump();
        buffer.remove(op.start, op.end);
        return;
      }
      if (op.start) {
        // A response that was cut short may have left the parser inside a fragment; each starts with its own init.
        buffer.abort();
        if (op.start.codec !== this.codec && typeof buffer.changeType === 'function') buffer.changeType(mimeType(op.start.codec));
        this.codec = op.start.codec;
        buffer.timestampOffset = op.start.offset;
      }
      buffer.appendBuffer(op.bytes);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'QuotaExceededError') {
        // Full: make room behind the picture and try again; if there is none, the next pump tries.
        this.ops.unshift(op);
        const end = trimEnd(this.options.currentTime(), this.buffered, QUOTA_KEEP_BEHIND_S);
        if (end !== undefined) this.ops.unshift({ kind: 'remove', start: 0, end });
        return;
      }
      this.options.onFail(`the source buffer refused the footage: ${String(error)}`);
    }
  }
}
