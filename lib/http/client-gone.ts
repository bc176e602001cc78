import { currentRequestConnection } from '../server/request-context';

/**
 * The one place that says when the client of the request being handled has gone: every route
 * that holds a camera for its client (a stream, the grid, a snapshot, Test connection) lets go
 * when the signal this returns aborts, or when its body is cancelled, whichever comes first.
 *
 * It aborts when either of these does:
 * - the connection's end: the Node response's 'close', from the request's context
 *   (lib/server/request-context.ts), since Next hands route handlers no response;
 * - the request's own abort signal. Never that alone: in Node 20 a Request's signal follows the
 *   server's only while the Request object is alive, so once the Request has been
 *   garbage-collected it never fires, and a viewer released only by it would stay for ever.
 *
 * The signal returned is our own, held by the listeners that abort it, so it cannot be collected
 * while the connection is open.
 */
export function clientGoneSignal(requestSignal?: AbortSignal): AbortSignal {
  const gone = new AbortController();
  const response = currentRequestConnection()?.response;
  const abort = () => {
    if (gone.signal.aborted) return;
    gone.abort();
    response?.off('close', abort);
    requestSignal?.removeEventListener('abort', abort);
  };
  if (requestSignal?.aborted || response?.closed || response?.destroyed) {
    abort();
    return gone.signal;
  }
  response?.once('close', abort);
  requestSignal?.addEventListener('abort', abort, { once: true });
  return gone.signal;
}
