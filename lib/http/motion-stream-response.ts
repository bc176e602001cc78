import type { MotionHub, MotionState } from '../motion-watch/motion-hub';
import { clientGoneSignal } from './client-gone';

/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
const encoder = new TextEncoder();

const message = (state: MotionState) => `event: motion\ndata: ${JSON.stringify(state)}\n\n`;

/**
 * GET /api/motion/stream: every camera's motion state as server-sent events, the current states
 * first, then each change. One stream per page, whatever number of tiles. Pull-based, and what
 * waits for a slow client is the newest state per camera only: a client that reads nothing holds
 * one message per camera, however long it stalls.
 */
export function motionStreamResponse(hub: MotionHub, requestSignal?: AbortSignal): Response {
  const pending = new Map<string, MotionState>();
  let wake: (() => void) | undefined;
  let keepAlive: NodeJS.Timeout | undefined;
  let ping = false;
  const offer = (state: MotionState) => {
    pending.set(state.camera, state);
    wake?.();
  };
  for (const state of hub.all()) offer(state);
  const unsubscribe = hub.subscribe(offer);
  const gone = clientGoneSignal(requestSignal);
  let closed = false;
  const release = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(keepAlive);
    wake?.();
  };
  gone.addEventListener('abort', release, { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      start() {
        keepAlive = setInterval(() => {
          ping = true;
          wake?.();
        }, KEEP_ALIVE_MS);
        keepAlive.unref?.();
      },
      async pull(controller) {
        while (!closed && pending.size === 0 && !ping) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        if (closed) {
          controller.close();
          return;
        }
        const text = ping && pending.size === 0 ? ': keep-alive\n\n' : [...pending.values()].map(message).join('');
        ping = false;
        pending.clear();
        controller.enqueue(encoder.encode(text));
      },
      cancel: release,
    },
    { highWaterMark: 1 },
  );
  return new Response(body, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
  });
}
