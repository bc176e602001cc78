'use client';

import { useEffect, useRef, useState } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import type { MultipartPart } from '@/lib/mjpeg/multipart-reader';
import { abortableDelay, readMultipart, RECONNECT_AFTER_END_MS, type StreamEnd } from '../read-multipart';
import { MsePlayer, type MsePlayerState } from './mse-player';

/** What the last init segment said of the video: the codec string and the coded size. */
export type VideoFormat = { codec: string; width: number | null; height: number | null };

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
/** A player stalled this long (on top of its own 3 s without a frame) is given up for MJPEG. */
export const FALLBACK_AFTER_STALL_MS = 3_000;

/**
 * Plays a camera's own video (GET /api/cameras/<id>/video) in `video` through an MsePlayer, read
 * with fetch() as useMjpegStream reads MJPEG: aborting on unmount closes the connection, and an
 * error or a clean end is followed by a reconnect. Each init part (the first, or the camera's
 * after it reconnected) gets a new player, as a player plays one stream. What cannot play here
 * (a codec this browser lacks, a player that failed or stays stalled, a server with no video for
 * the camera) ends the video for good with a `fallback` reason: the page then shows MJPEG.
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
    let player: MsePlayer | undefined;
    // Whether `player` is fed by the stream now. One whose stream ended (the camera's connection
    // failed, or the server's response) keeps its last picture on screen, as the canvas does for
    // MJPEG, but is no longer listened to: no frame coming is then no stall to fall back from.
    let fed = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;

    const streamEnded = () => {
      fed = false;
      clearTimeout(stallTimer);
      setState((previous) => (previous === 'receiving' ? 'stalled' : previous));
    };
    const disposePlayer = () => {
      streamEnded();
      player?.dispose();
      player = undefined;
    };
    const fallBack = (reason: string) => {
      if (controller.signal.aborted) return;
      controller.abort();
      disposePlayer();
      setFallback(reason);
    };

    const onPlayerState = (playerState: MsePlayerState, reason?: string) => {
      clearTimeout(stallTimer);
      if (playerState === 'playing') setState('receiving');
      if (playerState === 'failed') fallBack(reason ?? 'the video player failed');
      if (playerState === 'stalled') {
        setState('stalled');
        giveUpUnlessPlaying(`the video stalled: ${reason ?? 'no new frame'}`);
      }
    };
    // A hidden tab's video is paused on purpose: it is judged once it can be seen again.
    const giveUpUnlessPlaying = (reason: string) => {
      stallTimer = setTimeout(() => {
        if (document.visibilityState === 'visible') fallBack(reason);
        else giveUpUnlessPlaying(reason);
      }, FALLBACK_AFTER_STALL_MS);
    };

    const startPlayer = (init: Uint8Array, codec: string) => {
      disposePlayer();
      const next: MsePlayer = new MsePlayer(video, {
        onState: (playerState, reason) => {
          if (next === player && fed) onPlayerState(playerState, reason);
        },
        onFrame: () => frameListener.current?.(),
      });
      player = next;
      fed = true;
      next.start(init, codec);
    };

    // This response's reading, which a missed init segment cuts short (see take).
    let response = new AbortController();

    const take = (part: MultipartPart) => {
      // What follows in the same chunk as a fallback or a resync is for nobody.
      if (response.signal.aborted) return;
      const { headers, body } = part;
      switch (headers['x-video']) {
        case 'init': {
          const codec = headers['x-codec'] ?? '';
          if (!MsePlayer.canPlay(codec)) return fallBack(`this browser cannot play ${codec || 'this video'}`);
          startPlayer(body, codec);
          setFormat({ codec, width: dimension(headers['x-width']), height: dimension(headers['x-height']) });
          return;
        }
        case 'fragment':
          if (fed) player?.append(body);
          // Frames without the init they need (one joined as the camera was connecting, say) are
          // of no use: asked again, the server starts with the init and the frames since the keyframe.
          else response.abort();
          return;
        case 'ended':
          // The camera's connection failed; the server sends a new init when it is back.
          streamEnded();
          return;
      }
    };

    void (async () => {
      while (!controller.signal.aborted) {
        response = new AbortController();
        const abortResponse = () => response.abort();
        controller.signal.addEventListener('abort', abortResponse);
        let end: StreamEnd | 'failed' = 'failed';
        try {
          end = await readMultipart(url, response.signal, (parts) => parts.forEach(take));
        } catch {
          // Network errors, server restarts and resyncs end up here; the loop reconnects.
        } finally {
          controller.signal.removeEventListener('abort', abortResponse);
        }
        if (controller.signal.aborted) break;
        if (response.signal.aborted) end = 'ended';
        // A 404 (a camera without video) or any other refusal: MJPEG is what this camera has.
        if (end === 'refused') return fallBack('the server sends no video for this camera');
        streamEnded();
        await abortableDelay(end === 'ended' ? RECONNECT_AFTER_END_MS : RETRY_AFTER_MS, controller.signal);
      }
    })();

    return () => {
      controller.abort();
      disposePlayer();
      // Whatever was playing is gone with its player: a later stream starts from scratch.
      setState('connecting');
    };
  }, [url, video, fallback]);

  return { state, format, fallback };
}

function dimension(header: string | undefined): number | null {
  const value = Number(header);
  return Number.isInteger(value) && value > 0 ? value : null;
}
