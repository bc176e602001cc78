import type { Frame } from './frame';
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

  /** The next frame of any camera; null once every camera's slot has closed. */
  async next(): Promise<CameraFrame | null> {
    for (;;) {
      const open = this.subscriptions.filter((subscription) => !subscription.slot.isClosed);
      if (open.length === 0) return null;
      for (let offset = 0; offset < open.length; offset += 1) {
        const subscription = open[(this.turn + offset) % open.length]!;
        const frame = subscription.slot.take();
        if (frame) {
          this.turn = (this.turn + offset + 1) % open.length;
          return { cameraId: subscription.cameraId, frame, subscription };
        }
      }
      await Promise.race(open.map((subscription) => subscription.slot.whenReady()));
    }
  }
}
