'use client';

import { useEffect, useRef, useState } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import { abortableDelay, readMultipart, RECONNECT_AFTER_END_MS, type StreamEnd } from '../read-multipart';
import { VideoPartsPlayer, type VideoFormat } from './video-parts-player';

export type { VideoFormat } from './video-parts-player';

export type LiveVideo = {
  state: StreamState;
  format: VideoFormat | null;
  /** Why the camera is to be watched as MJPEG instead, for this page visit; null while the video plays or may yet play. */
  fallback: string | null;
};

export function videoUrl(cameraId: string): string {
  return `/api/cameras/${encodeURIComponent(cameraId)}/video`;
}

const RETRY_AFTER_MS = 2_000;

/**
 * Plays a camera's own video (GET /api/cameras/<id>/video) in `video` through a VideoPartsPlayer,
 * read with fetch() as useMjpegStream reads MJPEG: aborting on unmount closes the connection, and
 * an error or a clean end is followed by a reconnect. What cannot play here (see VideoPartsPlayer,
 * and a server with no video for the camera) ends the video for good with a `fallback` reason:
 * the page then shows MJPEG.
 */
export function useLiveVideo(url: string | null, video: HTMLVideoElement | null, onLiveFrame?: () => void): LiveVideo {
  const [state, setState] = useState<StreamState>('connecting');
  const [format, setFormat] = useState<VideoFormat | null>(null);
  const [fallback, setFallback] = useState<string | null>(null);
  const frameListener = useRef(onLiveFrame);
  useEffect(() => {
    frameListener.current = onLiveFrame;
  }, [onLiveFrame]);

  useEffect(() => {
    // Fallen back: MJPEG for the rest of this page visit, whatever comes of the url or the element.
    if (url === null || video === null || fallback !== null) return;
    const controller = new AbortController();
    // This response's reading, which a missed init segment cuts short.
    let response = new AbortController();
    const player = new VideoPartsPlayer(video, {
      onState: setState,
      onFormat: setFormat,
      onFallback: (reason) => {
        controller.abort();
        setFallback(reason);
      },
      // Asked again, the server starts with the init and the frames since the keyframe.
      onMissingInit: () => response.abort(),
      onFrame: () => frameListener.current?.(),
    });

    void (async () => {
      while (!controller.signal.aborted) {
        response = new AbortController();
        const reading = response;
        const abortResponse = () => reading.abort();
        controller.signal.addEventListener('abort', abortResponse);
        let end: StreamEnd | 'failed' = 'failed';
        try {
          end = await readMultipart(url, reading.signal, (parts) => {
            // What follows in the same chunk as a fallback or a resync is for nobody.
            for (const part of parts) if (!reading.signal.aborted) player.take(part);
          });
        } catch {
          // Network errors, server restarts and resyncs end up here; the loop reconnects.
        } finally {
          controller.signal.removeEventListener('abort', abortResponse);
        }
        if (controller.signal.aborted) break;
        if (reading.signal.aborted) end = 'ended';
        // A 404 (a camera without video) or any other refusal: MJPEG is what this camera has.
        if (end === 'refused') return player.fallBack('the server sends no video for this camera');
        player.streamEnded();
        await abortableDelay(end === 'ended' ? RECONNECT_AFTER_END_MS : RETRY_AFTER_MS, controller.signal);
      }
    })();

    return () => {
      controller.abort();
      player.dispose();
      // Whatever was playing is gone with its player: a later stream starts from scratch.
      setState('connecting');
    };
  }, [url, video, fallback]);

  return { state, format, fallback };
}
