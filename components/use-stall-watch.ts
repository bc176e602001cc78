'use client';

import { useEffect, type RefObject } from 'react';
import type { StreamState } from '@/lib/cameras/display-status';

const STALLED_AFTER_MS = 4_000;

/** Marks a picture stalled when frames stop arriving; 0 in `lastFrameAt` means "not expecting any". */
export function useStallWatch(lastFrameAt: RefObject<number>, setState: (state: StreamState) => void): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (lastFrameAt.current && Date.now() - lastFrameAt.current > STALLED_AFTER_MS) setState('stalled');
    }, 1_000);
    return () => clearInterval(timer);
  }, [lastFrameAt, setState]);
}
