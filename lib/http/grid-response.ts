import { FrameFanIn, type Held, type Resubscribe } from '../capture/frame-fan-in';
import type { Pace } from '../capture/latest-frame-slot';
import { multipartResponse } from './multipart-response';
import { asyncPartSource } from './part-source';
import { viewerPace } from './viewer-link';

/**
 * Many cameras on one connection, each part naming its camera (X-Camera): JPEG frames, and the
 * video of cameras whose tiles play it (lib/http/grid-holds.ts). Browsers allow 6 HTTP/1.1
 * connections per host, so a wall of tiles needs one connection, not one per tile.
 */
export function gridResponse(
  holds: readonly Held<Uint8Array>[],
  resubscribe: Resubscribe<Uint8Array>,
  signal: AbortSignal,
  pace: Pace | undefined = viewerPace(signal),
): Response {
  const fanIn = new FrameFanIn(holds, resubscribe);
  return multipartResponse(
    asyncPartSource(async () => {
      const next = await fanIn.next(pace);
      if (!next) return null;
      next.subscription.delivered(next.frame.length);
      return next.frame;
    }),
    () => fanIn.release(),
    signal,
  );
}
