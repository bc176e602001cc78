import { FrameFanIn, type Resubscribe } from '../capture/frame-fan-in';
import type { Subscription } from '../capture/registry';
import { framePart } from './frame-part';
import type { Pace } from '../capture/latest-frame-slot';
import { multipartResponse } from './multipart-response';
import { viewerPace } from './viewer-link';

/**
 * Many cameras on one connection, each part naming its camera (X-Camera). Browsers allow 6
 * HTTP/1.1 connections per host, so a wall of tiles needs one connection, not one per tile.
 */
export function gridResponse(
  subscriptions: readonly Subscription[],
  resubscribe: Resubscribe,
  signal: AbortSignal,
  pace: Pace | undefined = viewerPace(signal),
): Response {
  const fanIn = new FrameFanIn(subscriptions, resubscribe);
  return multipartResponse(
    async () => {
      const next = await fanIn.next(pace);
      if (!next) return null;
      const part = framePart(next.frame);
      next.subscription.delivered(part.length);
      return part;
    },
    () => fanIn.release(),
    signal,
  );
}
