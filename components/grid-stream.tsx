'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import { GridStreamController } from './grid-stream-controller';
import type { VideoPartsPlayer } from './live/video-parts-player';
import type { PictureRenderer } from './picture-renderer';
import { useStallWatch } from './use-stall-watch';

const GridStreamContext = createContext<GridStreamController | null>(null);

/** Owns the grid's single stream connection for the tiles inside it, in `cameraIds` order. */
export function GridStreamProvider({ cameraIds, children }: { cameraIds: readonly string[]; children: ReactNode }) {
  const order = useRef(cameraIds);
  useEffect(() => {
    order.current = cameraIds;
  }, [cameraIds]);
  const [controller, setController] = useState<GridStreamController | null>(null);
  useEffect(() => {
    const created = new GridStreamController(() => order.current);
    setController(created);
    return () => created.dispose();
  }, []);
  return <GridStreamContext.Provider value={controller}>{children}</GridStreamContext.Provider>;
}

/** The grid's connection, once the grid is mounted. */
export function useGridStream(): GridStreamController | null {
  return useContext(GridStreamContext);
}

/**
 * A tile's part of the grid's stream; its container must carry `data-camera`. JPEG frames are
 * drawn on `picture`, video parts go to `video` while it plays (useGridVideo). Stills are drawn
 * but do not make the tile live, and neither does the picture a tile keeps once it leaves the
 * stream. The state returned is the JPEG path's; the video's comes from its player.
 */
export function useGridPicture(
  cameraId: string,
  container: RefObject<HTMLElement | null>,
  picture: PictureRenderer,
  enabled: boolean,
  video: RefObject<VideoPartsPlayer | null>,
): StreamState {
  const controller = useGridStream();
  const [state, setState] = useState<StreamState>('connecting');
  const lastFrameAt = useRef(0);
  useStallWatch(lastFrameAt, setState);

  useEffect(() => {
    const element = container.current;
    if (!controller || !enabled || !element) return;
    return controller.register(cameraId, {
      element,
      // Read through the ref at each connect: a tile that falls back changes it, not its registration.
      playsVideo: () => video.current !== null && video.current.fallback === null,
      show: (frame) => {
        picture.show(frame.jpeg);
        if (frame.still) return;
        lastFrameAt.current = Date.now();
        setState('receiving');
      },
      play: (part) => video.current?.take(part),
      refusedVideo: () => video.current?.fallBack('the server sends no video for this camera'),
      pause: () => {
        lastFrameAt.current = 0;
        setState('connecting');
        video.current?.stop();
      },
      // A JPEG tile's picture is judged by useStallWatch meanwhile, as before.
      interrupted: () => video.current?.streamEnded(),
    });
  }, [controller, cameraId, container, picture, enabled, video]);

  return state;
}
