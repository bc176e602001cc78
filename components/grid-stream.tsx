'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import { GridStreamController } from './grid-stream-controller';
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

/**
 * A tile's picture from the grid's stream; its container must carry `data-camera`. Stills are drawn
 * but do not make the tile live, and neither does the picture a tile keeps once it leaves the stream.
 */
export function useGridPicture(
  cameraId: string,
  container: RefObject<HTMLElement | null>,
  picture: PictureRenderer,
  enabled: boolean,
): StreamState {
  const controller = useContext(GridStreamContext);
  const [state, setState] = useState<StreamState>('connecting');
  const lastFrameAt = useRef(0);
  useStallWatch(lastFrameAt, setState);

  useEffect(() => {
    const element = container.current;
    if (!controller || !enabled || !element) return;
    return controller.register(cameraId, {
      element,
      show: (frame) => {
        picture.show(frame.jpeg);
        if (frame.still) return;
        lastFrameAt.current = Date.now();
        setState('receiving');
      },
      pause: () => {
        lastFrameAt.current = 0;
        setState('connecting');
      },
    });
  }, [controller, cameraId, container, picture, enabled]);

  return state;
}
