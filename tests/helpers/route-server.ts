import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { trackRequestConnections } from '@/lib/server/request-context';

type Handler = (request: Request) => Promise<Response>;

/** How the body reaches the connection. `next` is what Next's server does; `plain-pipe` cancels nothing. */
export type BodyPiping = 'next' | 'plain-pipe';

/**
 * Serves a route handler over real HTTP on 127.0.0.1, so that external clients (ffmpeg as an MJPEG
 * player) can be pointed at it without the whole Next server. By default it hands the response on
 * as `next start` does: the request's context is tracked (instrumentation.ts installs the same hook),
 * and the body is piped with an abort tied to the response's 'close', so a client leaving cancels
 * the body (Next's pipeToNodeResponse). `plain-pipe` cancels nothing when the client leaves, to show
 * that a viewer is released by its connection's end alone.
 */
export async function serveHandler(handler: Handler, piping: BodyPiping = 'next'): Promise<{ url: string; close: () => Promise<void> }> {
  trackRequestConnections();
  const server: Server = createServer((incoming, outgoing) => {
    const abort = new AbortController();
    outgoing.on('close', () => abort.abort());
    void handler(toRequest(incoming, abort.signal)).then((response) => {
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return outgoing.end();
      if (piping === 'plain-pipe') {
        Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).on('error', () => outgoing.destroy()).pipe(outgoing);
        return;
      }
      void pipeLikeNext(response.body, outgoing);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** As Next's pipeToNodeResponse: write with back-pressure; the connection closing aborts the pipe, which cancels the body. */
async function pipeLikeNext(body: ReadableStream<Uint8Array>, outgoing: ServerResponse): Promise<void> {
  const closed = new AbortController();
  let drained: (() => void) | undefined;
  outgoing.on('drain', () => drained?.());
  outgoing.once('close', () => {
    drained?.();
    closed.abort();
  });
  const writer = new WritableStream<Uint8Array>({
    write: (chunk) =>
      outgoing.write(chunk) || outgoing.destroyed ? undefined : new Promise<void>((resolve) => (drained = resolve)),
    close: () => void outgoing.end(),
  });
  await body.pipeTo(writer, { signal: closed.signal }).catch(() => outgoing.destroy());
}

function toRequest(incoming: IncomingMessage, signal: AbortSignal): Request {
  return new Request(`http://127.0.0.1${incoming.url ?? '/'}`, { method: incoming.method, signal });
}
