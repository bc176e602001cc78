'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { FrameRateMeter } from '@/lib/capture/frame-rate-meter';

/** What this browser receives right now: fps, age of the last frame, and that frame's bytes. */
export function useLiveFrames() {
  const latest = useRef<Uint8Array | undefined>(undefined);
  const lastAt = useRef(0);
  const meter = useRef(new FrameRateMeter(3_000));
  const [figures, setFigures] = useState({ fps: 0, ageMs: null as number | null });

  const onFrame = useCallback((jpeg: Uint8Array) => {
    latest.current = jpeg;
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

  return { onFrame, latest, ...figures };
}
