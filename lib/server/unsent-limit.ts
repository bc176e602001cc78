import net from 'node:net';
import { loadNativeTcp, onOpenSocket } from './native-tcp';

/**
 * A live stream must not let old frames pile up in the kernel. Linux grows a connection's send
 * buffer to megabytes, and a viewer on a slow link would be fed from that backlog, seconds behind
 * live, while camdash's one-frame slot never sees back-pressure. TCP_NOTSENT_LOWAT keeps the
 * not-yet-sent bytes of each connection at about this much: the rest waits in Node, back-pressure
 * reaches the stream at once, and the viewer's next frame is the newest one.
 */
export const UNSENT_LIMIT_BYTES = 16 * 1024;

/** Bounds one connection's unsent bytes; false (the connection left as it was) when it cannot. */
export type SetUnsentLimit = (socket: net.Socket, bytes: number) => boolean;

/** Node sets no TCP option of this kind; the project's native module does (lib/server/native-tcp.ts). */
export function loadUnsentLimit(platform: NodeJS.Platform = process.platform): { setUnsentLimit: SetUnsentLimit } | { missing: string } {
  const loaded = loadNativeTcp(platform);
  if ('missing' in loaded) return loaded;
  const { native } = loaded;
  // A socket closed before it was tuned has no descriptor: nothing to limit.
  return { setUnsentLimit: (socket, bytes) => onOpenSocket(socket, (fd) => (native.setUnsentLimit(fd, bytes), true)) ?? false };
}

const INSTALLED = Symbol.for('camdash.unsentLimit');
type GlobalWithFlag = typeof globalThis & { [INSTALLED]?: { installed: true } | { installed: false; reason: string } };

/**
 * Applies the limit to every connection the server accepts from now on. Next creates its HTTP
 * server itself and gives route handlers no socket, so the hook is on accepted connections (all
 * of them: for a page or a script the limit only means that Node, not the kernel, holds what is
 * still to send). Installs once per process; says what happened, for the start-up log.
 */
export function limitUnsentBytesOfNewConnections(load = loadUnsentLimit): NonNullable<GlobalWithFlag[typeof INSTALLED]> {
  const holder = globalThis as GlobalWithFlag;
  if (holder[INSTALLED]) return holder[INSTALLED];
  const loaded = load();
  if ('missing' in loaded) return (holder[INSTALLED] = { installed: false, reason: loaded.missing });
  // http.Server and its relatives emit 'connection' through net.Server.prototype.emit.
  const emit = net.Server.prototype.emit as (this: net.Server, event: string | symbol, ...args: unknown[]) => boolean;
  net.Server.prototype.emit = function emitWithUnsentLimit(this: net.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'connection' && args[0] instanceof net.Socket) loaded.setUnsentLimit(args[0], UNSENT_LIMIT_BYTES);
    return emit.call(this, event, ...args);
  } as typeof net.Server.prototype.emit;
  return (holder[INSTALLED] = { installed: true });
}
