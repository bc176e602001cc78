import type { SendQueue } from '../server/send-queue';

/**
 * Pacing a live stream by what the viewer's connection still holds. A slot of one frame keeps
 * camdash's own backlog at one frame, but the kernel's queue and the network's (a phone's Wi-Fi,
 * a home's upload link) can each hold seconds of older frames: a frame written behind them arrives
 * that much later. So the next frame is written only when what is still on its way is no more than
 * the link carries in one round trip, and it is the newest frame at that moment. Pure.
 */

/** The longest pause between two looks at a connection that is still busy. */
export const MAX_POLL_MS = 10;
const MIN_POLL_MS = 1;

/**
 * Bytes that may still be on their way when the next frame is written: one round trip's worth at
 * the connection's delivery rate. A fast link with a long round trip keeps several frames in
 * flight (the full frame rate); a slow link gets next to none, so each frame waits for the one
 * before it to arrive.
 */
export function inFlightAllowance(queue: SendQueue): number {
  return (queue.deliveryBytesPerSecond * queue.minRttMicros) / 1_000_000;
}

/**
 * The last segment or two of a frame, sent and long since due, whose acknowledgement the viewer
 * holds back (delayed ACK, up to 40 ms on Linux, 200 ms elsewhere): it has arrived, nothing is
 * queued ahead of the next frame, and waiting for the ACK would only make that frame older.
 */
function onlyAckIsLate(queue: SendQueue): boolean {
  if (queue.unsentBytes > 0 || queue.deliveryBytesPerSecond <= 0) return false;
  if (queue.queuedBytes > 2 * queue.segmentBytes) return false;
  const dueMs = (queue.queuedBytes / queue.deliveryBytesPerSecond) * 1000 + queue.minRttMicros / 1000;
  return queue.lastAckMs >= dueMs;
}

/** How long until the connection can take the next frame; 0 when it can now. */
export function linkWaitMs(queue: SendQueue): number {
  const excess = queue.queuedBytes - inFlightAllowance(queue);
  if (excess <= 0 || onlyAckIsLate(queue)) return 0;
  const drainMs = queue.deliveryBytesPerSecond > 0 ? (excess / queue.deliveryBytesPerSecond) * 1000 : MAX_POLL_MS;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, drainMs));
}

/** Resolves when the next frame may be written. */
export type LinkGate = () => Promise<void>;

export const OPEN_GATE: LinkGate = () => Promise.resolve();

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * A gate over one connection: `read` looks at its queue (undefined once it cannot be read: the
 * gate opens), `isDone` ends the wait when the viewer has left.
 */
export function linkGate(read: () => SendQueue | undefined, isDone: () => boolean, sleep = defaultSleep): LinkGate {
  return async () => {
    for (;;) {
      if (isDone()) return;
      const queue = read();
      const wait = queue ? linkWaitMs(queue) : 0;
      if (wait === 0) return;
      await sleep(wait);
    }
  };
}
