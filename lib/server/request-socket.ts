import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type net from 'node:net';

/**
 * The TCP connection a request came in on. Next gives route handlers a web Request and no socket,
 * yet pacing a live stream needs to know what the viewer's connection still holds. The HTTP
 * server's 'request' event runs inside a context that carries the socket, and everything the
 * request does (the route handler, its stream's pulls) inherits it.
 *
 * On globalThis: the server hook is installed from instrumentation, read from route handlers,
 * and Next gives each of them its own copy of this module.
 */
const KEY = Symbol.for('camdash.requestSocket');
type GlobalWithStorage = typeof globalThis & { [KEY]?: AsyncLocalStorage<net.Socket> };

function storage(): AsyncLocalStorage<net.Socket> {
  const holder = globalThis as GlobalWithStorage;
  return (holder[KEY] ??= new AsyncLocalStorage<net.Socket>());
}

const INSTALLED = Symbol.for('camdash.requestSocket.installed');
type GlobalWithFlag = typeof globalThis & { [INSTALLED]?: true };

/** Makes every HTTP request's socket known to the code that handles it. Once per process. */
export function trackRequestSockets(): void {
  const holder = globalThis as GlobalWithFlag;
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  const sockets = storage();
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function emitWithRequestSocket(this: http.Server, event: string | symbol, ...args: unknown[]) {
    const request = args[0];
    if (event === 'request' && request instanceof http.IncomingMessage) return sockets.run(request.socket, () => emit.call(this, event, ...args));
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}

/** The connection of the request being handled, if the hook is installed and this runs inside one. */
export function currentRequestSocket(): net.Socket | undefined {
  return storage().getStore();
}
