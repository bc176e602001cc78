import type { Pace } from '../capture/latest-frame-slot';
import type { SendQueue } from '../server/send-queue';

/**
 * Pacing a live stream by what the viewer's connection still holds. A slot of one frame keeps
 * camdash's own backlog at one frame, but the kernel's queue and the network's (a phone's Wi-Fi,
 * a home's upload link) can each hold seconds of older frames: a frame written behind them arrives
 * that much later. So the next frame is written only when what is still on its way is no more than
 * the link carries in one round trip, and it is the newest frame at that moment. Pure but for the
 * timer that waits.
 */

/**
 * The longest pause between two looks at a connection that is still busy: a viewer that stopped
 * reading (a paused player), or whose queue takes more than a second to drain, costs ten looks a
 * second. Within a second of draining the looks come at least every 10 ms, and sooner near the
 * end (half the time it should take): the delivery rate that estimate rests on is a sample, and a
 * low one must not hold the next frame back.
 */
export const MAX_POLL_MS = 100;
const NEAR_POLL_MS = 10;
const NEAR_MS = 1_000;
const MIN_POLL_MS = 1;
const NO_RATE_POLL_MS = 10;

/**
 * Bytes that may still be on their way when the next frame is written: one round trip's worth at
 * the connection's delivery rate. A fast link with a long round trip keeps several frames in
 * flight (the full frame rate); a slow link gets next to none, so each frame waits for the one
 * before it to arrive. The shortest round trip, not the current one: a round trip that a queue
 * has lengthened would let more into that queue. No floor of time either: early in a connection
 * the delivery rate can read far too high (the first packets cross at the speed of the wire up
 * to the bottleneck), and a floor times that rate would let a whole frame queue.
 */
export function inFlightAllowance(queue: SendQueue): number {
  return (queue.deliveryBytesPerSecond * queue.minRttMicros) / 1_000_000;
}

/**
 * The last segment or two of a frame, sent and long since due, whose acknowledgement the viewer
 * holds back (delayed ACK: up to 40 ms on Linux, 200 ms on Windows): it has arrived, nothing is
 * queued ahead of the next frame, and waiting for the ACK would only make that frame older. Due
 * means: nothing sent and nothing acknowledged for as long as these bytes and one segment more
 * (the one a queue may hold ahead of them) take at the delivery rate.
 */
function onlyAckIsLate(queue: SendQueue): boolean {
  if (queue.unsentBytes > 0 || queue.deliveryBytesPerSecond <= 0) return false;
  if (queue.queuedBytes > 2 * queue.segmentBytes) return false;
  const dueMs = ((queue.queuedBytes + queue.segmentBytes) / queue.deliveryBytesPerSecond) * 1000 + queue.minRttMicros / 1000;
  return queue.lastAckMs >= dueMs && queue.lastSendMs >= dueMs;
}

/** How long until the connection can take the next frame; 0 when it can now. */
export function linkWaitMs(queue: SendQueue): number {
  const excess = queue.queuedBytes - inFlightAllowance(queue);
  if (excess <= 0 || onlyAckIsLate(queue)) return 0;
  // A connection too new to have a delivery rate has one within a round trip or two.
  if (queue.deliveryBytesPerSecond <= 0) return NO_RATE_POLL_MS;
  const drainMs = (excess / queue.deliveryBytesPerSecond) * 1000;
  return Math.min(drainMs > NEAR_MS ? MAX_POLL_MS : NEAR_POLL_MS, Math.max(MIN_POLL_MS, drainMs / 2));
}

const pause = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The pace of one connection, as the frame slots take it (`Pace`): asked synchronously for every
 * frame, since most viewers keep up and a promise per frame per viewer cost more than the look.
 * `queuedBytes` is the cheap look (0 for a viewer that keeps up),
 * `sendQueue` the full one, both undefined once the connection cannot be read (no pacing then);
 * `isDone` ends any wait when the viewer has left.
 */
export function linkPace(
  read: { queuedBytes(): number | undefined; sendQueue(): SendQueue | undefined },
  isDone: () => boolean,
  sleep: (ms: number) => Promise<void> = pause,
): Pace {
  return {
    waitMs() {
      if (isDone() || !read.queuedBytes()) return 0;
      const queue = read.sendQueue();
      return queue ? linkWaitMs(queue) : 0;
    },
    pause: sleep,
  };
}
