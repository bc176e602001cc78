import type { Pace } from '../capture/latest-frame-slot';
import type { VideoSubscription } from '../capture/registry';
import type { LiveFeed } from '../live/live-feed';
import { videoPart } from '../live/video-part';
import { multipartResponse } from './multipart-response';
import { viewerPace } from './viewer-link';

/**
 * Frames older than this wait for a viewer's link: it is behind, and jumps to the next keyframe
 * rather than show ever older video (a player that keeps half a second buffered is live again
 * within a GOP).
 */
export const MAX_BEHIND_MS = 1_000;

/** One camera's own video, as multipart parts for the browser's player (lib/live/video-part.ts). */
export function videoResponse(subscription: VideoSubscription, requestSignal: AbortSignal, pace: Pace | undefined = viewerPace(requestSignal)): Response {
  const { feed, cameraId } = subscription;
  return multipartResponse(
    async () => {
      await waitForLink(feed, pace);
      const item = feed.takeLive(Date.now(), MAX_BEHIND_MS) ?? (await feed.next());
      if (!item) return null;
      const part = videoPart(cameraId, item);
      subscription.delivered(part.length);
      return withQueuedParts(part, feed, cameraId, subscription);
    },
    subscription.release,
    requestSignal,
  );
}

/**
 * A new viewer's backlog (the init and the frames since the last keyframe, queued at once) goes out
 * as one write. Part by part, the browser could append the keyframe alone, paint it (up to a GOP
 * old: seconds) and only then get the rest and jump to the live edge; in one append it jumps
 * first. Once live, a frame is alone in the queue, and goes as it is.
 */
const BACKLOG_WRITE_BYTES = 512 * 1024;

function withQueuedParts(first: Buffer, feed: LiveFeed, cameraId: string, subscription: VideoSubscription): Buffer {
  if (feed.queuedFragments === 0) return first;
  const parts = [first];
  let bytes = first.length;
  for (let item = feed.take(); item; item = bytes < BACKLOG_WRITE_BYTES ? feed.take() : undefined) {
    const part = videoPart(cameraId, item);
    subscription.delivered(part.length);
    parts.push(part);
    bytes += part.length;
  }
  return Buffer.concat(parts, bytes);
}

/** As LatestFrameSlot.next: while the link is busy, frames queue (and skip, if it takes too long). */
async function waitForLink(feed: LiveFeed, pace: Pace | undefined): Promise<void> {
  if (!pace) return;
  for (let waitMs = pace.waitMs(); waitMs > 0 && !feed.isClosed; waitMs = pace.waitMs()) await pace.pause(waitMs);
}
