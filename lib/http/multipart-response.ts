import { MULTIPART_CONTENT_TYPE, STREAM_PREAMBLE } from '../mjpeg/multipart';
import { clientGoneSignal } from './client-gone';
import { NO_STORE_HEADERS } from './no-store';

/**
 * A never-ending `multipart/x-mixed-replace` response. It is pulled, not pushed: the next part is
 * produced only when the connection can take it, so a slow client holds no backlog.
 *
 * A client leaving shows up as cancel() of the body, as the end of its connection, or as both
 * (see clientGoneSignal); `release` runs once, whichever comes first. `nextPart` returning null
 * ends the response cleanly.
 */
export function multipartResponse(nextPart: () => Promise<Uint8Array | null>, release: () => void, requestSignal: AbortSignal): Response {
  const gone = clientGoneSignal(requestSignal);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    gone.removeEventListener('abort', finish);
    release();
  };
  if (gone.aborted) finish();
  else gone.addEventListener('abort', finish, { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(STREAM_PREAMBLE);
      },
      async pull(controller) {
        const part = await nextPart();
        if (done) return;
        if (!part) {
          finish();
          controller.close();
          return;
        }
        controller.enqueue(part);
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
