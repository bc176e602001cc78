'use client';

import { useEffect, useState } from 'react';
import type { PublicCamera } from '@/lib/cameras/public-camera';

const POLL_EVERY_MS = 2_000;

/** The server's view of the cameras (status, reason, fps), refreshed while the page is open. */
export function useCameraStatuses(initial: PublicCamera[]): PublicCamera[] {
  const [cameras, setCameras] = useState(initial);

  useEffect(() => {
    const controller = new AbortController();
    const poll = async () => {
      try {
        const response = await fetch('/api/cameras', { signal: controller.signal, cache: 'no-store' });
        if (response.ok) setCameras(((await response.json()) as { cameras: PublicCamera[] }).cameras);
      } catch {
        // Offline for a moment; the next poll tries again.
      }
    };
    const timer = setInterval(() => void poll(), POLL_EVERY_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, []);

  return cameras;
}

export function useCameraStatus(initial: PublicCamera): PublicCamera {
  const cameras = useCameraStatuses([initial]);
  return cameras.find((camera) => camera.id === initial.id) ?? initial;
}
