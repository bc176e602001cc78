'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { FrameRateMeter } from '@/lib/capture/frame-rate-meter';

/** What this browser receives right now: fps and the age of the last live frame. */
export function useLiveFrames() {
  const lastAt = useRef(0);
  const meter = useRef(new FrameRateMeter(3_000));
  const [figures, setFigures] = useState({ fps: 0, ageMs: null as number | null });

  const onFrame = useCallback(() => {
    lastAt.current = Date.now();
    meter.current.record(lastAt.current);
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      const now = Date.now();
      setFigures({ fps: meter.current.rate(now), ageMs: lastAt.current ? now - lastAt.current : null });
    }, 250);
    return () => clearInterval(timer);
  }, []);

  return { onFrame, ...figures };
}
