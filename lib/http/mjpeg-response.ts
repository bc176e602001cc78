import type { Subscription } from '../capture/registry';
import { framePart } from './frame-part';
import type { LinkGate } from './link-pacing';
import { multipartResponse } from './multipart-response';
import { viewerLinkGate } from './viewer-link';

/** One camera as a standard MJPEG stream, for <img>, VLC, ffplay and Home Assistant. */
export function mjpegResponse(subscription: Subscription, signal: AbortSignal, waitForLink: LinkGate = viewerLinkGate(signal)): Response {
  return multipartResponse(
    async () => {
      const frame = await subscription.slot.next(waitForLink);
      if (!frame) return null;
      const part = framePart(frame);
      subscription.delivered(part.length);
      return part;
    },
    subscription.release,
    signal,
  );
}
