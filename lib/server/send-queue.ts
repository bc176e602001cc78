import { createRequire } from 'node:module';
import type net from 'node:net';
import path from 'node:path';

/** What a connection's kernel still holds for the viewer, from native/tcp-send-queue. */
export type SendQueue = {
  /** Bytes written but not yet acknowledged by the viewer, sent or not. */
  queuedBytes: number;
  /** Of those, bytes not sent yet. */
  unsentBytes: number;
  /** The connection's most recent delivery rate (0 before there is a sample). */
  deliveryBytesPerSecond: number;
  /** The shortest round trip seen on the connection. */
  minRttMicros: number;
  /** The connection's segment size. */
  segmentBytes: number;
  /** Time since the viewer last acknowledged anything. */
  lastAckMs: number;
};

export type SendQueueProbe = (socket: net.Socket) => SendQueue | undefined;

const MODULE_PATH = 'native/tcp-send-queue/build/Release/tcp_send_queue.node';

/**
 * Loads the native probe (built by scripts/ensure-deps.sh where a compiler and Node's headers are
 * there). Without it streams still work; a viewer on a slow link is then fed from up to the
 * unsent limit of backlog, and from whatever its network queues.
 */
export function loadSendQueueProbe(platform: NodeJS.Platform = process.platform): { probe: SendQueueProbe } | { missing: string } {
  if (platform !== 'linux') return { missing: `the send queue is read on Linux only, not on ${platform}` };
  let native: { sendQueue?: (fd: number) => SendQueue };
  try {
    // Resolved from the project at run time: a native module the bundler must leave alone.
    native = createRequire(path.join(process.cwd(), 'package.json'))(`./${MODULE_PATH}`) as typeof native;
  } catch (error) {
    return { missing: `${MODULE_PATH} could not be loaded (${(error as Error).message.split('\n')[0]}); npm start builds it` };
  }
  const sendQueue = native.sendQueue;
  if (typeof sendQueue !== 'function') return { missing: `${MODULE_PATH} has no sendQueue` };
  return {
    probe(socket) {
      const fd = (socket as net.Socket & { _handle?: { fd?: number } })._handle?.fd;
      if (typeof fd !== 'number' || fd < 0 || socket.destroyed) return undefined;
      try {
        return sendQueue(fd);
      } catch {
        return undefined; // closed meanwhile
      }
    },
  };
}
