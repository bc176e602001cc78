'use client';

import { useEffect, useRef, useState } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import { newestFrames } from '@/lib/mjpeg/received-frame';
import type { PictureRenderer } from './picture-renderer';
import { abortableDelay, readMultipart, RECONNECT_AFTER_END_MS, type StreamEnd } from './read-multipart';
import { useStallWatch } from './use-stall-watch';

export type { StreamState } from '@/lib/cameras/display-status';

const RETRY_AFTER_MS = 2_000;

/**
 * Plays one camera's MJPEG stream into a picture by reading it with fetch(). Unlike an <img src>
 * pointing at the stream, aborting the fetch on unmount really closes the connection in Chromium,
 * so leaving a page frees its connection (the browser allows only 6 per host over HTTP/1.1).
 * `onLiveFrame` hears of every frame but stills, which are drawn without making the picture live.
 */
export function useMjpegStream(url: string | null, picture: PictureRenderer, onLiveFrame?: () => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const lastFrameAt = useRef(0);
  const frameListener = useRef(onLiveFrame);
  useEffect(() => {
    frameListener.current = onLiveFrame;
  }, [onLiveFrame]);
  useStallWatch(lastFrameAt, setState);

  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();

    void (async () => {
      while (!controller.signal.aborted) {
        let end: StreamEnd | 'failed' = 'failed';
        try {
          end = await readMultipart(url, controller.signal, (parts) => {
            const frame = newestFrames(parts).at(-1)!;
            picture.show(frame.jpeg);
            if (frame.still) return;
            lastFrameAt.current = Date.now();
            setState('receiving');
            frameListener.current?.();
          });
        } catch {
          // Network errors and server restarts end up here; the loop reconnects.
        }
        if (controller.signal.aborted) break;
        setState((previous) => (previous === 'receiving' ? 'stalled' : previous));
        // A clean end: the camera's settings changed in cameras.json, and its new stream is ready now.
        await abortableDelay(end === 'ended' ? RECONNECT_AFTER_END_MS : RETRY_AFTER_MS, controller.signal);
      }
    })();

    return () => controller.abort();
  }, [url, picture]);

  return state;
}
