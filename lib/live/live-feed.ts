import type { Failure } from '../capture/exit-reason';
import type { InitSegment } from '../fmp4/init-segment';
import type { MediaFragment } from '../fmp4/media-fragment';

/**
 * What a consumer of a camera's video gets, in order: the init segment of a stream, its fragments
 * (one per frame), and `ended` when the camera's connection ended (a new init follows when it is
 * back).
 */
export type LiveItem =
  | { kind: 'init'; init: InitSegment }
  | { kind: 'fragment'; fragment: MediaFragment; receivedAt: number }
  | { kind: 'ended'; failure: Failure };

export type FeedLimits = { maxQueuedFragments: number; maxQueuedBytes: number };

/** About 10 s of a 15 fps camera: a consumer that far behind is stuck, not slow. */
export const DEFAULT_FEED_LIMITS: FeedLimits = { maxQueuedFragments: 150, maxQueuedBytes: 8 * 1024 * 1024 };

/**
 * One consumer's queue of a camera's video. Unlike a JPEG, a fragment depends on the ones before
 * it, so a consumer cannot simply take the newest: one that falls behind skips to the next
 * keyframe instead, dropping every fragment until then. Memory per consumer stays bounded
 * however slow it is, and it never slows the camera or the other consumers.
 */
export class LiveFeed {
  private items: LiveItem[] = [];
  private head = 0;
  private fragmentCount = 0;
  private bytes = 0;
  private waitingForKeyframe = false;
  private closed = false;
  private ready: { promise: Promise<void>; resolve: () => void } | undefined;
  private readyCallback: (() => void) | undefined;
  /** Fragments this consumer never got because it fell behind. */
  skipped = 0;

  constructor(private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS) {}

  push(item: LiveItem): void {
    if (this.closed) return;
    if (item.kind === 'fragment') {
      if (this.waitingForKeyframe && !item.fragment.keyframe) {
        this.skipped += 1;
        return;
      }
      this.waitingForKeyframe = false;
      this.fragmentCount += 1;
      this.bytes += item.fragment.bytes.length;
    } else {
      // Another stream: what is queued of the old one cannot be played with the new init.
      this.dropQueuedFragments();
      this.waitingForKeyframe = false;
    }
    this.items.push(item);
    if (this.fragmentCount > this.limits.maxQueuedFragments || this.bytes > this.limits.maxQueuedBytes) this.skipToKeyframe();
    this.notify();
  }

  /** Drops every queued fragment; the consumer goes on from the next keyframe. */
  skipToKeyframe(): void {
    this.dropQueuedFragments();
    this.waitingForKeyframe = true;
  }

  /** When the oldest fragment still queued arrived; undefined when none is. */
  get oldestQueuedAt(): number | undefined {
    for (let index = this.head; index < this.items.length; index += 1) {
      const item = this.items[index]!;
      if (item.kind === 'fragment') return item.receivedAt;
    }
    return undefined;
  }

  get hasFrame(): boolean {
    return this.head < this.items.length;
  }

  /**
   * The next item for a consumer that may have fallen behind: with fragments older than
   * `maxBehindMs` queued, it goes on from the next keyframe instead.
   */
  takeLive(now: number, maxBehindMs: number): LiveItem | undefined {
    const oldest = this.oldestQueuedAt;
    if (oldest !== undefined && now - oldest > maxBehindMs) this.skipToKeyframe();
    return this.take();
  }

  /** The decode times of the fragments queued now, oldest first. */
  queuedDecodeTimes(): number[] {
    const times: number[] = [];
    for (let index = this.head; index < this.items.length; index += 1) {
      const item = this.items[index]!;
      if (item.kind === 'fragment') times.push(item.fragment.decodeTime);
    }
    return times;
  }

  get queuedFragments(): number {
    return this.fragmentCount;
  }

  take(): LiveItem | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.head += 1;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (item.kind === 'fragment') {
      this.fragmentCount -= 1;
      this.bytes -= item.fragment.bytes.length;
    }
    return item;
  }

  /** The next item; null once the feed is closed. */
  async next(): Promise<LiveItem | null> {
    for (;;) {
      const item = this.take();
      if (item) return item;
      if (this.closed) return null;
      await this.whenReady();
    }
  }

  whenReady(): Promise<void> {
    if (this.head < this.items.length || this.closed) return Promise.resolve();
    if (!this.ready) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.ready = { promise, resolve };
    }
    return this.ready.promise;
  }

  /**
   * As whenReady, by a callback run from the push itself: a viewer that writes each frame as it
   * comes needs no promise per frame. One callback at a time; a later one replaces it.
   */
  onReady(ready: () => void): void {
    if (this.head < this.items.length || this.closed) {
      queueMicrotask(ready);
      return;
    }
    this.readyCallback = ready;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.items = [];
    this.head = 0;
    this.fragmentCount = 0;
    this.bytes = 0;
    this.notify();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private dropQueuedFragments(): void {
    const kept = this.items.slice(this.head).filter((item) => item.kind !== 'fragment');
    this.skipped += this.fragmentCount;
    this.items = kept;
    this.head = 0;
    this.fragmentCount = 0;
    this.bytes = 0;
  }

  private notify(): void {
    const ready = this.ready;
    this.ready = undefined;
    ready?.resolve();
    const callback = this.readyCallback;
    this.readyCallback = undefined;
    callback?.();
  }
}
