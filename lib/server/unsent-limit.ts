import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

/**
 * A live stream must not let old frames pile up in the kernel. Linux grows a connection's send
 * buffer to megabytes, and a viewer on a slow link would be fed from that backlog, seconds behind
 * live, while camdash's one-frame slot never sees back-pressure. TCP_NOTSENT_LOWAT keeps the
 * not-yet-sent bytes of each connection at about this much: the rest waits in Node, back-pressure
 * reaches the stream at once, and the viewer's next frame is the newest one.
 */
export const UNSENT_LIMIT_BYTES = 16 * 1024;

const IPPROTO_TCP = 6;
// Linux's value; other systems number it differently or lack it.
const LINUX_TCP_NOTSENT_LOWAT = 25;

export type SetSockopt = (socket: net.Socket, level: number, option: number, value: number) => void;

/** Node has no setsockopt for TCP; the optional `sockopt` package (prebuilt, N-API) provides it. */
export function loadSetsockopt(platform: NodeJS.Platform = process.platform): { setsockopt: SetSockopt } | { missing: string } {
  if (platform !== 'linux') return { missing: `TCP_NOTSENT_LOWAT is used on Linux only, not on ${platform}` };
  try {
    // Resolved from the project at run time: a native module the bundler must leave alone.
    const loaded = createRequire(path.join(process.cwd(), 'package.json'))('sockopt') as { setsockopt?: SetSockopt };
    if (typeof loaded.setsockopt !== 'function') return { missing: 'the sockopt package has no setsockopt' };
    return { setsockopt: loaded.setsockopt };
  } catch (error) {
    return { missing: `the optional sockopt package could not be loaded (${(error as Error).message.split('\n')[0]})` };
  }
}

/** Limits a connection's unsent bytes; false (and the connection left as it was) if it cannot. */
export function limitUnsentBytes(socket: net.Socket, setsockopt: SetSockopt, bytes = UNSENT_LIMIT_BYTES): boolean {
  try {
    setsockopt(socket, IPPROTO_TCP, LINUX_TCP_NOTSENT_LOWAT, bytes);
    return true;
  } catch {
    // A socket closed before it was tuned has no descriptor; nothing to limit.
    return false;
  }
}

const INSTALLED = Symbol.for('camdash.unsentLimit');
type GlobalWithFlag = typeof globalThis & { [INSTALLED]?: { installed: true } | { installed: false; reason: string } };

/**
 * Applies the limit to every connection the server accepts from now on. Next creates its HTTP
 * server itself and gives route handlers no socket, so the hook is on accepted connections (all
 * of them: for a page or a script the limit only means that Node, not the kernel, holds what is
 * still to send). Installs once per process; says what happened, for the start-up log.
 */
export function limitUnsentBytesOfNewConnections(load = loadSetsockopt): NonNullable<GlobalWithFlag[typeof INSTALLED]> {
  const holder = globalThis as GlobalWithFlag;
  if (holder[INSTALLED]) return holder[INSTALLED];
  const loaded = load();
  if ('missing' in loaded) return (holder[INSTALLED] = { installed: false, reason: loaded.missing });
  // http.Server and its relatives emit 'connection' through net.Server.prototype.emit.
  const emit = net.Server.prototype.emit as (this: net.Server, event: string | symbol, ...args: unknown[]) => boolean;
  net.Server.prototype.emit = function emitWithUnsentLimit(this: net.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'connection' && args[0] instanceof net.Socket) limitUnsentBytes(args[0], loaded.setsockopt);
    return emit.call(this, event, ...args);
  } as typeof net.Server.prototype.emit;
  return (holder[INSTALLED] = { installed: true });
}
