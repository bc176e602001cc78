import type { Held } from '../capture/frame-fan-in';
import type { CaptureRegistry, Subscription, VideoSubscription } from '../capture/registry';
import { videoPart } from '../live/video-part';
import { framePart } from './frame-part';
import { MAX_BEHIND_MS } from './video-response';

/**
 * A tile's hold on its camera for the grid's one connection, as multipart parts: the camera's own
 * video for a tile that plays it (`video`), else its JPEG frames. A camera without video of its
 * own is always JPEG, whatever the page asked.
 */
export function gridHold(registry: CaptureRegistry, cameraId: string, video: boolean): Held<Uint8Array> | undefined {
  const playing = video ? registry.subscribeVideo(cameraId, 'grid') : undefined;
  if (playing) return videoPartHold(playing);
  const watching = registry.subscribe(cameraId, 'grid');
  return watching && jpegPartHold(watching);
}

export function jpegPartHold(subscription: Subscription): Held<Uint8Array> {
  const { slot } = subscription;
  return {
    cameraId: subscription.cameraId,
    slot: {
      get hasFrame() {
        return slot.hasFrame;
      },
      get isClosed() {
        return slot.isClosed;
      },
      take: () => {
        const frame = slot.take();
        return frame && framePart(frame);
      },
      whenReady: () => slot.whenReady(),
    },
    delivered: subscription.delivered,
    release: subscription.release,
  };
}

export function videoPartHold(subscription: VideoSubscription): Held<Uint8Array> {
  const { feed, cameraId } = subscription;
  return {
    cameraId,
    slot: {
      get hasFrame() {
        return feed.hasFrame;
      },
      get isClosed() {
        return feed.isClosed;
      },
      take: () => {
        // Taken when the connection can carry it: a tile far behind goes on from the next keyframe.
        const item = feed.takeLive(Date.now(), MAX_BEHIND_MS);
        return item && videoPart(cameraId, item);
      },
      whenReady: () => feed.whenReady(),
    },
    delivered: subscription.delivered,
    release: subscription.release,
  };
}
