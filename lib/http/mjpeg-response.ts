import type { Subscription } from '../capture/registry';
import { framePart } from './frame-part';
import type { Pace } from '../capture/latest-frame-slot';
import { multipartResponse } from './multipart-response';
import { asyncPartSource } from './part-source';
import { viewerPace } from './viewer-link';

/** One camera as a standard MJPEG stream, for <img>, VLC, ffplay and Home Assistant. */
export function mjpegResponse(subscription: Subscription, signal: AbortSignal, pace: Pace | undefined = viewerPace(signal)): Response {
  return multipartResponse(
    asyncPartSource(async () => {
      const frame = await subscription.slot.next(pace);
      if (!frame) return null;
      const part = framePart(frame);
      subscription.delivered(part.length);
      return part;
    }),
    subscription.release,
    signal,
  );
}
