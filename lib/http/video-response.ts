import type { Pace } from '../capture/latest-frame-slot';
import type { VideoSubscription } from '../capture/registry';
import type { LiveFeed } from '../live/live-feed';
import { videoPart } from '../live/video-part';
import { multipartResponse } from './multipart-response';
import type { PartSource } from './part-source';
import { viewerPace } from './viewer-link';

/**
 * Frames older than this wait for a viewer's link: it is behind, and jumps to the next keyframe
 * rather than show ever older video (a player that keeps half a second buffered is live again
 * within a GOP).
 */
export const MAX_BEHIND_MS = 1_000;

/** One camera's own video, as multipart parts for the browser's player (lib/live/video-part.ts). */
export function videoResponse(subscription: VideoSubscription, requestSignal: AbortSignal, pace: Pace | undefined = viewerPace(requestSignal)): Response {
  return multipartResponse(videoPartSource(subscription, pace), subscription.release, requestSignal);
}

/**
 * The feed's items as parts, each written once the viewer's link can take it (as
 * LatestFrameSlot.next: while the link is busy, frames queue, and skip if it takes too long). The
 * link is looked at only when a frame waits, and a viewer that keeps up is written to from the
 * camera's delivery of the frame (LiveFeed.onReady), with no timer and no promise.
 */
export function videoPartSource(subscription: VideoSubscription, pace: Pace | undefined): PartSource {
  const { feed } = subscription;
  let linkWaitMs = 0;
  return {
    take() {
      if (!feed.hasFrame) return feed.isClosed ? null : undefined;
      linkWaitMs = pace?.waitMs() ?? 0;
      if (linkWaitMs > 0) return undefined;
      const item = feed.takeLive(Date.now(), MAX_BEHIND_MS);
      if (!item) return feed.isClosed ? null : undefined;
      const part = videoPart(subscription.cameraId, item);
      subscription.delivered(part.length);
      return withQueuedParts(part, feed, subscription);
    },
    onReady(ready) {
      if (linkWaitMs > 0 && pace) {
        void pace.pause(linkWaitMs).then(ready);
        linkWaitMs = 0;
        return;
      }
      feed.onReady(ready);
    },
  };
}

/**
 * A new viewer's backlog (the init and the frames since the last keyframe, queued at once) goes out
 * as one write. Part by part, the browser could append the keyframe alone, paint it (up to a GOP
 * old: seconds) and only then get the rest and jump to the live edge; in one append it jumps
 * first. Once live, a frame is alone in the queue, and goes as it is.
 */
const BACKLOG_WRITE_BYTES = 512 * 1024;

function withQueuedParts(first: Buffer, feed: LiveFeed, subscription: VideoSubscription): Buffer {
  if (feed.queuedFragments === 0) return first;
  const parts = [first];
  let bytes = first.length;
  for (let item = feed.take(); item; item = bytes < BACKLOG_WRITE_BYTES ? feed.take() : undefined) {
    const part = videoPart(subscription.cameraId, item);
    subscription.delivered(part.length);
    parts.push(part);
    bytes += part.length;
  }
  return Buffer.concat(parts, bytes);
}
