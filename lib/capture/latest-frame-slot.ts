import type { Frame } from './frame';

/**
 * A viewer's mailbox of one frame. A viewer that reads slower than the camera delivers gets the
 * newest frame when it is ready, never a backlog: memory per viewer stays at one frame, and a slow
 * phone on Wi-Fi sees what is happening now rather than what happened a minute ago.
 */
export class LatestFrameSlot {
  private pending: Frame | undefined;
  private waiter: ((frame: Frame | null) => void) | undefined;
  private closed = false;
  /** Frames replaced before this viewer took them. */
  dropped = 0;

  offer(frame: Frame): void {
    if (this.closed) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve(frame);
      return;
    }
    if (this.pending) this.dropped += 1;
    this.pending = frame;
  }

  /** The next frame; null once the slot is closed (the camera went away or the viewer left). */
  next(): Promise<Frame | null> {
    if (this.pending) {
      const frame = this.pending;
      this.pending = undefined;
      return Promise.resolve(frame);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = undefined;
    this.waiter?.(null);
    this.waiter = undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
