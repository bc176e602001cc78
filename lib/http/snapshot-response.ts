import type { Frame } from '../capture/frame';
import type { Subscription } from '../capture/registry';
import { clientGoneSignal } from './client-gone';
import { jsonResponse, NO_STORE_HEADERS } from './no-store';

/**
 * Waits for the subscription's first live frame (at once if the camera is live) and returns it.
 * The camera is let go as soon as there is a frame, the wait times out, or the client leaves.
 */
export async function snapshotResponse(
  subscription: Subscription,
  timeoutMs: number,
  reason: () => string | null | undefined,
  requestSignal?: AbortSignal,
): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
    timer.unref?.();
  });
  const gone = clientGoneSignal(requestSignal);
  const left = new Promise<'gone'>((resolve) => {
    if (gone.aborted) resolve('gone');
    else gone.addEventListener('abort', () => resolve('gone'), { once: true });
  });
  try {
    const frame = await Promise.race([nextLiveFrame(subscription), timeout, left]);
    // Nobody to answer; the status is for the log of whatever proxy is in between.
    if (frame === 'gone') return jsonResponse({ error: 'the client went away' }, 499);
    if (!frame) {
      return jsonResponse({ error: `no frame from the camera within ${timeoutMs / 1000} s`, reason: reason() ?? null }, 503);
    }
    return new Response(new Uint8Array(frame.jpeg), {
      headers: { ...NO_STORE_HEADERS, 'Content-Type': 'image/jpeg', 'Content-Length': String(frame.jpeg.length) },
    });
  } finally {
    clearTimeout(timer);
    subscription.release();
  }
}

/** A snapshot is of now: the still a starting camera offers its viewers would be an old picture. */
async function nextLiveFrame(subscription: Subscription): Promise<Frame | null> {
  for (;;) {
    const frame = await subscription.slot.next();
    if (!frame?.still) return frame;
  }
}
