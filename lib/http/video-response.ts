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
      return part;
    },
    subscription.release,
    requestSignal,
  );
}

/** As LatestFrameSlot.next: while the link is busy, frames queue (and skip, if it takes too long). */
async function waitForLink(feed: LiveFeed, pace: Pace | undefined): Promise<void> {
  if (!pace) return;
  for (let waitMs = pace.waitMs(); waitMs > 0 && !feed.isClosed; waitMs = pace.waitMs()) await pace.pause(waitMs);
}
