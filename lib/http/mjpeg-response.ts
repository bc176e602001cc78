import type { Subscription } from '../capture/registry';
import { framePart } from './frame-part';
import { multipartResponse } from './multipart-response';

/** One camera as a standard MJPEG stream, for <img>, VLC, ffplay and Home Assistant. */
export function mjpegResponse(subscription: Subscription, signal: AbortSignal): Response {
  return multipartResponse(
    async () => {
      const frame = await subscription.slot.next();
      if (!frame) return null;
      const part = framePart(frame);
      subscription.delivered(part.length);
      return part;
    },
    subscription.release,
    signal,
  );
}
