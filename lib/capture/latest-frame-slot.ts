import type { Frame } from './frame';

/** When the viewer's connection can take the next frame (lib/http/link-pacing.ts): 0 ms is now. */
export type Pace = { waitMs(): number; pause(ms: number): Promise<void> };

/**
 * A viewer's mailbox of one frame. A viewer that reads slower than the camera delivers gets the
 * newest frame when it is ready, never a backlog: memory per viewer stays at one frame, and a slow
 * phone on Wi-Fi sees what is happening now rather than what happened a minute ago.
 */
export class LatestFrameSlot {
  private pending: Frame | undefined;
  private closed = false;
  // One shared promise however often readiness is awaited, so that waiting costs no memory.
  private ready: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Frames replaced before this viewer took them. */
  dropped = 0;

  /** Hands the viewer a frame; true when it replaced one the viewer had not taken yet. */
  offer(frame: Frame): boolean {
    if (this.closed) return false;
    const replaced = this.pending !== undefined;
    if (replaced) this.dropped += 1;
    this.pending = frame;
    this.notify();
    return replaced;
  }

  /** The newest frame not yet taken, if any. */
  take(): Frame | undefined {
    const frame = this.pending;
    this.pending = undefined;
    return frame;
  }

  /** Resolves when a frame can be taken, or the slot has closed. */
  whenReady(): Promise<void> {
    if (this.pending || this.closed) return Promise.resolve();
    if (!this.ready) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.ready = { promise, resolve };
    }
    return this.ready.promise;
  }

  /**
   * The next frame; null once the slot is closed (the camera went away or the viewer left).
   * With a `pace` (the viewer's link), a frame that is there waits until the link can take it: a
   * newer frame that comes meanwhile replaces it, so the viewer gets the newest.
   */
  async next(pace?: Pace): Promise<Frame | null> {
    for (;;) {
      const waitMs = pace && this.pending ? pace.waitMs() : 0;
      if (waitMs > 0) {
        await pace!.pause(waitMs);
        continue;
      }
      const frame = this.take();
      if (frame) return frame;
      if (this.closed) return null;
      await this.whenReady();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = undefined;
    this.notify();
  }

  get hasFrame(): boolean {
    return this.pending !== undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private notify(): void {
    const ready = this.ready;
    this.ready = undefined;
    ready?.resolve();
  }
}
