import type { Frame } from './frame';
import type { Pace } from './latest-frame-slot';

/** What the fan-in needs of a camera's queue: a one-frame slot, or a feed of its video. */
export type Pending<T> = {
  readonly hasFrame: boolean;
  readonly isClosed: boolean;
  take(): T | undefined;
  whenReady(): Promise<void>;
};

/** A hold on one camera whose items the fan-in merges (a Subscription, for JPEG frames). */
export type Held<T> = { readonly cameraId: string; readonly slot: Pending<T>; delivered(bytes: number): void; release(): void };

export type CameraFrame<T = Frame> = { cameraId: string; frame: T; subscription: Held<T> };

/** A fresh hold on a camera, or undefined if it is gone (removed, disabled, or the server stopping). */
export type Resubscribe<T = Frame> = (cameraId: string) => Held<T> | undefined;

/**
 * Merges several cameras' one-frame slots into one sequence, for a single connection that carries
 * many tiles. Each camera still holds at most its newest frame, so a slow connection costs one
 * frame per camera and always gets the newest ones; cameras take turns, so that a fast camera
 * cannot starve a slow one.
 *
 * A camera's slot closes when its entry in cameras.json changes or goes: the fan-in then takes the
 * camera's new capture in place, or drops a camera that is gone, so the other tiles of the
 * connection never notice. (A dropped camera's tile leaves with the page's next status poll.)
 */
export class FrameFanIn<T = Frame> {
  private turn = 0;
  private readonly subscriptions: Held<T>[];

  constructor(subscriptions: readonly Held<T>[], private readonly resubscribe: Resubscribe<T> = () => undefined) {
    this.subscriptions = [...subscriptions];
  }

  /** The next frame of any camera; null once no camera is left. `pace` is as in LatestFrameSlot.next. */
  async next(pace?: Pace): Promise<CameraFrame<T> | null> {
    for (;;) {
      this.replaceClosed();
      const all = this.subscriptions;
      if (all.length === 0) return null;
      // As for one camera (LatestFrameSlot.next): frames that come while this waits replace older ones.
      const waitMs = pace && all.some((subscription) => subscription.slot.hasFrame) ? pace.waitMs() : 0;
      if (waitMs > 0) {
        await pace!.pause(waitMs);
        continue;
      }
      for (let offset = 0; offset < all.length; offset += 1) {
        const subscription = all[(this.turn + offset) % all.length]!;
        const frame = subscription.slot.take();
        if (frame) {
          this.turn = (this.turn + offset + 1) % all.length;
          return { cameraId: subscription.cameraId, frame, subscription };
        }
      }
      await Promise.race(all.map((subscription) => subscription.slot.whenReady()));
    }
  }

  /** Lets go of every camera this connection holds now. */
  release(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.release();
  }

  private replaceClosed(): void {
    for (let index = this.subscriptions.length - 1; index >= 0; index -= 1) {
      const closed = this.subscriptions[index]!;
      if (!closed.slot.isClosed) continue;
      closed.release();
      const renewed = this.resubscribe(closed.cameraId);
      if (renewed) this.subscriptions[index] = renewed;
      else this.subscriptions.splice(index, 1);
    }
  }
}
