'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import { createPictureSink } from './picture-sink';
import { abortableDelay, readMultipart } from './read-multipart';
import { useStallWatch } from './use-stall-watch';

export type { StreamState } from '@/lib/cameras/display-status';

const RETRY_AFTER_MS = 2_000;

/**
 * Plays one camera's MJPEG stream into an <img> by reading it with fetch(). Unlike an <img src>
 * pointing at the stream, aborting the fetch on unmount really closes the connection in Chromium,
 * so leaving a page frees its connection (the browser allows only 6 per host over HTTP/1.1).
 */
export function useMjpegStream(
  url: string | null,
  image: RefObject<HTMLImageElement | null>,
  onFrame?: (jpeg: Uint8Array) => void,
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const lastFrameAt = useRef(0);
  const frameListener = useRef(onFrame);
  useEffect(() => {
    frameListener.current = onFrame;
  }, [onFrame]);
  useStallWatch(lastFrameAt, setState);

  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    const sink = createPictureSink(image, () => {
      lastFrameAt.current = Date.now();
      setState('receiving');
    });

    void (async () => {
      while (!controller.signal.aborted) {
        try {
          await readMultipart(url, controller.signal, (parts) => {
            const jpeg = parts.at(-1)!.body;
            sink.show(jpeg);
            frameListener.current?.(jpeg);
          });
        } catch {
          // Network errors and server restarts end up here; the loop reconnects.
        }
        if (controller.signal.aborted) break;
        setState((previous) => (previous === 'receiving' ? 'stalled' : previous));
        await abortableDelay(RETRY_AFTER_MS, controller.signal);
      }
    })();

    return () => {
      controller.abort();
      sink.dispose();
    };
  }, [url, image]);

  return state;
}
