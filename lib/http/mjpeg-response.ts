import type { Subscription } from '../capture/registry';
import { MULTIPART_CONTENT_TYPE, STREAM_PREAMBLE } from '../mjpeg/multipart';
import { framePart } from './frame-part';
import { NO_STORE_HEADERS } from './no-store';

/**
 * Streams a subscription as `multipart/x-mixed-replace`. The stream is pulled, not pushed: a frame
 * is taken from the viewer's one-frame slot only when the connection can take it, so a slow viewer
 * holds at most one frame and skips to the newest one.
 *
 * A disconnect shows up as cancel(), as the request's abort signal, or as both; the subscription
 * is released once, whichever comes first.
 */
export function mjpegResponse(subscription: Subscription, signal: AbortSignal): Response {
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    signal.removeEventListener('abort', finish);
    subscription.release();
  };
  if (signal.aborted) finish();
  else signal.addEventListener('abort', finish, { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(STREAM_PREAMBLE);
      },
      async pull(controller) {
        const frame = await subscription.slot.next();
        if (done) return;
        if (!frame) {
          // The camera was removed or the server is shutting down: end the response cleanly.
          finish();
          controller.close();
          return;
        }
        controller.enqueue(framePart(frame));
      },
      cancel: finish,
    },
    { highWaterMark: 0 },
  );

  return new Response(body, {
    headers: {
      ...NO_STORE_HEADERS,
      'Content-Type': MULTIPART_CONTENT_TYPE,
      // Proxies such as nginx would otherwise buffer the never-ending response.
      'X-Accel-Buffering': 'no',
    },
  });
}
