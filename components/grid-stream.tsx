'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';
import { GridStreamController } from './grid-stream-controller';
import { createPictureSink } from './picture-sink';
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

/** A tile's picture from the grid's stream; its container must carry `data-camera`. */
export function useGridPicture(
  cameraId: string,
  container: RefObject<HTMLElement | null>,
  image: RefObject<HTMLImageElement | null>,
  enabled: boolean,
): StreamState {
  const controller = useContext(GridStreamContext);
  const [state, setState] = useState<StreamState>('connecting');
  const lastFrameAt = useRef(0);
  useStallWatch(lastFrameAt, setState);

  useEffect(() => {
    const element = container.current;
    if (!controller || !enabled || !element) return;
    const sink = createPictureSink(image, () => {
      lastFrameAt.current = Date.now();
      setState('receiving');
    });
    const unregister = controller.register(cameraId, {
      element,
      show: sink.show,
      pause: () => {
        lastFrameAt.current = 0;
      },
    });
    return () => {
      unregister();
      sink.dispose();
    };
  }, [controller, cameraId, container, image, enabled]);

  return state;
}
