import { createRequire } from 'node:module';
import type net from 'node:net';
import path from 'node:path';

/**
 * native/tcp-send-queue: the TCP calls Node does not offer, on a connection's descriptor. Built by
 * scripts/ensure-deps.sh where a compiler and Node's headers are there; camdash runs without it,
 * and its start-up log says what is then not in force.
 */
export type NativeTcp = {
  queuedBytes(fd: number): number;
  sendQueue(fd: number): unknown;
  setUnsentLimit(fd: number, bytes: number): void;
  unsentLimit(fd: number): number;
};

export const NATIVE_TCP_PATH = 'native/tcp-send-queue/build/Release/tcp_send_queue.node';
const FUNCTIONS = ['queuedBytes', 'sendQueue', 'setUnsentLimit', 'unsentLimit'] as const;

let cached: { native: NativeTcp } | { missing: string } | undefined;

/** Loads the module once per process (a native module can be loaded only once anyway). */
export function loadNativeTcp(platform: NodeJS.Platform = process.platform): { native: NativeTcp } | { missing: string } {
  if (platform !== 'linux') return { missing: `the TCP send queue is read and bounded on Linux only, not on ${platform}` };
  if (cached) return cached;
  let loaded: Partial<Record<(typeof FUNCTIONS)[number], unknown>>;
  try {
    // Resolved from the project at run time: a native module the bundler must leave alone.
    loaded = createRequire(path.join(process.cwd(), 'package.json'))(`./${NATIVE_TCP_PATH}`) as typeof loaded;
  } catch (error) {
    return (cached = { missing: `${NATIVE_TCP_PATH} could not be loaded (${(error as Error).message.split('\n')[0]}); npm start builds it` });
  }
  if (FUNCTIONS.some((name) => typeof loaded[name] !== 'function')) return (cached = { missing: `${NATIVE_TCP_PATH} is out of date; npm start rebuilds it` });
  return (cached = { native: loaded as NativeTcp });
}

/** Runs a native call on an open socket's descriptor; undefined when it has none or closed meanwhile. */
export function onOpenSocket<T>(socket: net.Socket, call: (fd: number) => T): T | undefined {
  const fd = (socket as net.Socket & { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0 || socket.destroyed) return undefined;
  try {
    return call(fd);
  } catch {
    return undefined;
  }
}
