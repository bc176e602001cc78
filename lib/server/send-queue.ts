import type net from 'node:net';
import { loadNativeTcp, onOpenSocket } from './native-tcp';

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

/**
 * The probe over the native module (lib/server/native-tcp.ts). Without it streams still work; a
 * viewer on a slow link is then fed from up to the unsent limit of backlog, and from whatever its
 * network queues.
 */
export function loadSendQueueProbe(platform: NodeJS.Platform = process.platform): { probe: SendQueueProbe } | { missing: string } {
  const loaded = loadNativeTcp(platform);
  if ('missing' in loaded) return loaded;
  const { native } = loaded;
  return {
    probe: {
      queuedBytes: (socket) => onOpenSocket(socket, (fd) => native.queuedBytes(fd)),
      sendQueue: (socket) => onOpenSocket(socket, (fd) => native.sendQueue(fd) as SendQueue),
    },
  };
}
