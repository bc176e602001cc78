import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type net from 'node:net';

/**
 * The connection a request came in on, and the Node response that answers it. Next gives route
 * handlers a web Request and neither of these, yet pacing a live stream needs to know what the
 * viewer's connection still holds, and releasing a viewer needs to know when its connection ends
 * (lib/http/client-gone.ts). The HTTP server's 'request' event runs inside a context that carries
 * both, and everything the request does (the route handler, its stream's pulls) inherits it.
 *
 * The same hook notes the servers that answer requests, so that shutdown can close their
 * keep-alive connections (closeConnectionsWhenIdle).
 *
 * On globalThis: the server hook is installed from instrumentation, read from route handlers,
 * and Next gives each of them its own copy of this module.
 */
export type RequestConnection = { socket: net.Socket; response: http.ServerResponse };

const KEY = Symbol.for('camdash.requestContext');
type GlobalWithStorage = typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestConnection> };

function storage(): AsyncLocalStorage<RequestConnection> {
  const holder = globalThis as GlobalWithStorage;
  return (holder[KEY] ??= new AsyncLocalStorage<RequestConnection>());
}

const INSTALLED = Symbol.for('camdash.requestContext.installed');
const SERVERS = Symbol.for('camdash.requestContext.servers');
const DRAINING = Symbol.for('camdash.requestContext.draining');
type GlobalWithFlag = typeof globalThis & { [INSTALLED]?: true; [SERVERS]?: Set<http.Server>; [DRAINING]?: ReturnType<typeof setInterval> };

function servers(): Set<http.Server> {
  const holder = globalThis as GlobalWithFlag;
  return (holder[SERVERS] ??= new Set());
}

/** Makes every HTTP request's connection known to the code that handles it. Once per process. */
export function trackRequestConnections(): void {
  const holder = globalThis as GlobalWithFlag;
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  const connections = storage();
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function emitWithRequestConnection(this: http.Server, event: string | symbol, ...args: unknown[]) {
    const [request, response] = args;
    if (event === 'request' && request instanceof http.IncomingMessage && response instanceof http.ServerResponse) {
      servers().add(this);
      if (holder[DRAINING]) response.shouldKeepAlive = false;
      return connections.run({ socket: request.socket, response }, () => emit.call(this, event, ...args));
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}

/** The connection of the request being handled, if the hook is installed and this runs inside one. */
export function currentRequestConnection(): RequestConnection | undefined {
  return storage().getStore();
}

export function currentRequestSocket(): net.Socket | undefined {
  return storage().getStore()?.socket;
}

const DRAIN_CHECK_MS = 50;

/**
 * From now on every response closes its connection, and connections left idle are closed as soon
 * as they are. Next's shutdown closes only the connections idle at that moment, then waits for the
 * rest: a live stream that ends a moment later leaves its keep-alive connection open (and a
 * browser may ask again on it), which holds the exit for the whole keep-alive timeout.
 */
export function closeConnectionsWhenIdle(): void {
  const holder = globalThis as GlobalWithFlag;
  if (holder[DRAINING]) return;
  const closeIdle = () => {
    for (const server of servers()) server.closeIdleConnections();
  };
  holder[DRAINING] = setInterval(closeIdle, DRAIN_CHECK_MS);
  holder[DRAINING].unref();
  closeIdle();
}
