'use client';

import { useCallback, useState, type RefCallback } from 'react';
import { PictureRenderer, type FrameSize } from './picture-renderer';

/**
 * A picture's renderer, the ref for its <canvas>, and the size of its frames (null until the first
 * frame; it changes only when the camera's size does, not per frame).
 */
export function usePictureRenderer(): { renderer: PictureRenderer; canvasRef: RefCallback<HTMLCanvasElement>; frameSize: FrameSize | null } {
  const [frameSize, setFrameSize] = useState<FrameSize | null>(null);
  const [renderer] = useState(() => new PictureRenderer(setFrameSize));
  const canvasRef = useCallback(
    (canvas: HTMLCanvasElement | null) => {
      if (!canvas) return;
      renderer.attach(canvas);
      return () => renderer.detach();
    },
    [renderer],
  );
  return { renderer, canvasRef, frameSize };
}
