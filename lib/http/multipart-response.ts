import type http from 'node:http';
import { MULTIPART_CONTENT_TYPE, STREAM_PREAMBLE } from '../mjpeg/multipart';
import { currentRequestConnection } from '../server/request-context';
import { clientGoneSignal } from './client-gone';
import { NO_STORE_HEADERS } from './no-store';
import { nextPartOf, type PartSource } from './part-source';
import { writeParts } from './write-parts';

/**
 * A never-ending `multipart/x-mixed-replace` response. It is pulled, not pushed: the next part is
 * produced only when the connection can take it, so a slow client holds no backlog.
 *
 * Where the viewer's Node response is known (lib/server/request-context.ts, under `next start`
 * and the tests' route server), the parts are written straight to it once the server starts the
 * body, as each is ready (lib/http/write-parts.ts): the same bytes, without crossing Next's web
 * streams (a ReadableStream read into a WritableStream, several promises per part per viewer),
 * which cost each viewer of a 15 fps camera about 0.1 % of a core. Elsewhere the body is an
 * ordinary pulled ReadableStream.
 *
 * A client leaving shows up as cancel() of the body, as the end of its connection, or as both
 * (see clientGoneSignal); `release` runs once, whichever comes first. The source ending (a null
 * part) ends the response cleanly.
 */
export function multipartResponse(source: PartSource, release: () => void, requestSignal: AbortSignal): Response {
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

  const nodeResponse = currentRequestConnection()?.response;
  const body = nodeResponse ? writtenBody(nodeResponse, source, finish, () => done) : pulledBody(nextPartOf(source), finish, () => done);
  return new Response(body, {
    headers: {
      ...NO_STORE_HEADERS,
      'Content-Type': MULTIPART_CONTENT_TYPE,
      // Proxies such as nginx would otherwise buffer the never-ending response.
      'X-Accel-Buffering': 'no',
    },
  });
}

function pulledBody(nextPart: () => Promise<Uint8Array | null>, finish: () => void, isDone: () => boolean): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(STREAM_PREAMBLE);
      },
      async pull(controller) {
        const part = await nextPart();
        if (isDone()) return;
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
}

/**
 * A body that never yields a chunk itself: the server's first read of it (after it has set the
 * status and headers on the Node response) starts the writes to that response, and the read ends
 * when they do. The server still owns the response's end: closing this body makes it end the
 * response, and its abort when the client leaves cancels the body.
 */
function writtenBody(nodeResponse: http.ServerResponse, source: PartSource, finish: () => void, isDone: () => boolean): ReadableStream<Uint8Array> {
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (started) return;
        started = true;
        await writeParts(nodeResponse, [STREAM_PREAMBLE], source, isDone);
        if (isDone()) return;
        finish();
        controller.close();
      },
      cancel: finish,
    },
    { highWaterMark: 0 },
  );
}
