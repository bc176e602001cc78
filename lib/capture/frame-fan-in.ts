import type { Frame } from './frame';
import type { Pace } from './latest-frame-slot';
import type { Subscription } from './registry';

export type CameraFrame = { cameraId: string; frame: Frame; subscription: Subscription };

/**
 * Merges several cameras' one-frame slots into one sequence, for a single connection that carries
 * many tiles. Each camera still holds at most its newest frame, so a slow connection costs one
 * frame per camera and always gets the newest ones; cameras take turns, so that a fast camera
 * cannot starve a slow one.
 */
export class FrameFanIn {
  private turn = 0;

  constructor(private readonly subscriptions: readonly Subscription[]) {}

  /**
   * The next frame of any camera; null as soon as any camera's slot closes. Slots close when their
   * camera is removed or changed in cameras.json (or the server stops): the connection then ends,
   * and the browser reconnects with the cameras there are now, rather than keep a tile that never
   * moves again. `pace` is as in LatestFrameSlot.next.
   */
  async next(pace?: Pace): Promise<CameraFrame | null> {
    const all = this.subscriptions;
    for (;;) {
      if (all.some((subscription) => subscription.slot.isClosed)) return null;
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
}
