'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { useGridStream } from './grid-stream';
import { livePath, type LivePath } from './live/live-path';
import { VideoPartsPlayer, type VideoFormat } from './live/video-parts-player';
import type { PictureRenderer } from './picture-renderer';

export type GridVideo = {
  /** Which way the tile's picture comes, and why MJPEG when it does. */
  path: LivePath;
  format: VideoFormat | null;
  /** What the tile sees of its video; meaningful on the `h264` path only. */
  state: StreamState;
  /** What the grid's connection hands the tile's video parts to; null on the MJPEG path. */
  player: RefObject<VideoPartsPlayer | null>;
};

/**
 * A grid tile's own video: played in `element` from the parts the grid's one connection brings,
 * while the camera has video and the tile has not fallen back from it. A tile that falls back
 * (see VideoPartsPlayer) stays on MJPEG for this page visit, and the connection is made again
 * without its camera in `video=`. A player that lets go of the video leaves its picture on the
 * tile's canvas (`renderer`), which lies under the video.
 */
export function useGridVideo(camera: PublicCamera, element: HTMLVideoElement | null, renderer: PictureRenderer): GridVideo {
  const controller = useGridStream();
  const [fallback, setFallback] = useState<string | null>(null);
  const [format, setFormat] = useState<VideoFormat | null>(null);
  const [state, setState] = useState<StreamState>('connecting');
  const player = useRef<VideoPartsPlayer | null>(null);
  const path = livePath(camera, fallback);
  const playsVideo = path.path === 'h264';

  useEffect(() => {
    if (!playsVideo || !element || !controller) return;
    const created = new VideoPartsPlayer(element, {
      onState: setState,
      onFormat: setFormat,
      onFallback: (reason) => {
        setFallback(reason);
        controller.update();
      },
      onMissingInit: () => controller.resync(),
      onPlayerGone: (video) => renderer.keep(video),
    });
    player.current = created;
    controller.update();
    return () => {
      created.dispose();
      if (player.current === created) player.current = null;
      controller.update();
      setState('connecting');
    };
  }, [playsVideo, element, renderer, controller]);

  return { path, format, state, player };
}
