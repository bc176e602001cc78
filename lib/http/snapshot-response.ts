import type { Frame } from '../capture/frame';
import type { Subscription } from '../capture/registry';
import { jsonResponse, NO_STORE_HEADERS } from './no-store';

/** Waits for the subscription's first live frame (at once if the camera is live) and returns it. */
export async function snapshotResponse(
  subscription: Subscription,
  timeoutMs: number,
  reason: () => string | null | undefined,
): Promise<Response> {
  const timeout = new Promise<null>((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    timer.unref?.();
  });
  try {
    const frame = await Promise.race([nextLiveFrame(subscription), timeout]);
    if (!frame) {
      return jsonResponse({ error: `no frame from the camera within ${timeoutMs / 1000} s`, reason: reason() ?? null }, 503);
    }
    return new Response(new Uint8Array(frame.jpeg), {
      headers: { ...NO_STORE_HEADERS, 'Content-Type': 'image/jpeg', 'Content-Length': String(frame.jpeg.length) },
    });
  } finally {
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
