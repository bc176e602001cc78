'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import { boundaryFromContentType, MultipartReader } from '@/lib/mjpeg/multipart-reader';

const RETRY_AFTER_MS = 2_000;
const STALLED_AFTER_MS = 4_000;

export type { StreamState } from '@/lib/cameras/display-status';
import type { StreamState } from '@/lib/cameras/display-status';

/**
 * Plays an MJPEG stream into an <img> by reading it with fetch(). Unlike an <img src> pointing at
 * the stream, aborting the fetch on unmount really closes the connection in Chromium, so leaving
 * a page frees its connections (the browser allows only 6 per host over HTTP/1.1).
 */
export function useMjpegStream(url: string | null, image: RefObject<HTMLImageElement | null>): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const lastFrameAt = useRef(0);

  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    let shownUrl: string | undefined;

    const show = (jpeg: Uint8Array) => {
      const next = URL.createObjectURL(new Blob([jpeg as BlobPart], { type: 'image/jpeg' }));
      if (image.current) image.current.src = next;
      if (shownUrl) URL.revokeObjectURL(shownUrl);
      shownUrl = next;
      lastFrameAt.current = Date.now();
      setState('receiving');
    };

    const watchdog = setInterval(() => {
      if (lastFrameAt.current && Date.now() - lastFrameAt.current > STALLED_AFTER_MS) setState('stalled');
    }, 1_000);

    void (async () => {
      while (!controller.signal.aborted) {
        try {
          await readStream(url, controller.signal, show);
        } catch {
          // Network errors and server restarts end up here; the loop reconnects.
        }
        if (controller.signal.aborted) break;
        setState((previous) => (previous === 'receiving' ? 'stalled' : previous));
        await delay(RETRY_AFTER_MS, controller.signal);
      }
    })();

    return () => {
      controller.abort();
      clearInterval(watchdog);
      if (shownUrl) URL.revokeObjectURL(shownUrl);
    };
  }, [url, image]);

  return state;
}

async function readStream(url: string, signal: AbortSignal, show: (jpeg: Uint8Array) => void): Promise<void> {
  const response = await fetch(url, { signal, cache: 'no-store' });
  const boundary = boundaryFromContentType(response.headers.get('content-type'));
  if (!response.ok || !response.body || !boundary) {
    await response.body?.cancel();
    return;
  }
  const reader = response.body.getReader();
  const parts = new MultipartReader(boundary);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    // Only the newest complete frame of a chunk is worth decoding.
    const newest = parts.push(value).at(-1);
    if (newest) show(newest.body);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
