import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

type Handler = (request: Request) => Promise<Response>;

/**
 * Serves a route handler over real HTTP on 127.0.0.1, so that external clients (ffmpeg as an MJPEG
 * player) can be pointed at it without the whole Next server.
 */
export async function serveHandler(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const abort = new AbortController();
    outgoing.on('close', () => abort.abort());
    void handler(toRequest(incoming, abort.signal)).then((response) => {
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return outgoing.end();
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).on('error', () => outgoing.destroy()).pipe(outgoing);
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

function toRequest(incoming: IncomingMessage, signal: AbortSignal): Request {
  return new Request(`http://127.0.0.1${incoming.url ?? '/'}`, { method: incoming.method, signal });
}
