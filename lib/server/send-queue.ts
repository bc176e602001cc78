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
  /** Time since anything was last sent. */
  lastSendMs: number;
};

/** Reads a connection's queue; undefined once it is closed. */
export type SendQueueProbe = {
  /** Bytes not yet acknowledged, the one figure a viewer that keeps up needs (one system call). */
  queuedBytes(socket: net.Socket): number | undefined;
  sendQueue(socket: net.Socket): SendQueue | undefined;
};

const MODULE_PATH = 'native/tcp-send-queue/build/Release/tcp_send_queue.node';

/**
 * Loads the native probe (built by scripts/ensure-deps.sh where a compiler and Node's headers are
 * there). Without it streams still work; a viewer on a slow link is then fed from up to the
 * unsent limit of backlog, and from whatever its network queues.
 */
export function loadSendQueueProbe(platform: NodeJS.Platform = process.platform): { probe: SendQueueProbe } | { missing: string } {
  if (platform !== 'linux') return { missing: `the send queue is read on Linux only, not on ${platform}` };
  let native: { queuedBytes?: (fd: number) => number; sendQueue?: (fd: number) => SendQueue };
  try {
    // Resolved from the project at run time: a native module the bundler must leave alone.
    native = createRequire(path.join(process.cwd(), 'package.json'))(`./${MODULE_PATH}`) as typeof native;
  } catch (error) {
    return { missing: `${MODULE_PATH} could not be loaded (${(error as Error).message.split('\n')[0]}); npm start builds it` };
  }
  const { queuedBytes, sendQueue } = native;
  if (typeof queuedBytes !== 'function' || typeof sendQueue !== 'function') return { missing: `${MODULE_PATH} is out of date; npm start rebuilds it` };
  return { probe: { queuedBytes: (socket) => onOpenSocket(socket, queuedBytes), sendQueue: (socket) => onOpenSocket(socket, sendQueue) } };
}

function onOpenSocket<T>(socket: net.Socket, read: (fd: number) => T): T | undefined {
  const fd = (socket as net.Socket & { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0 || socket.destroyed) return undefined;
  try {
    return read(fd);
  } catch {
    return undefined; // closed meanwhile
  }
}
