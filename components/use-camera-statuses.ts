'use client';

import { useEffect, useState } from 'react';
import type { DashboardState } from '@/lib/cameras/dashboard-state';
import type { PublicCamera } from '@/lib/cameras/public-camera';

const POLL_EVERY_MS = 2_000;

/**
 * The server's view of the cameras (status, reason, fps) and of the cameras file, refreshed while
 * the page is open: an edit of cameras.json shows up without a reload.
 */
export function useDashboardState(initial: DashboardState): DashboardState {
  const [state, setState] = useState(initial);

  useEffect(() => {
    const controller = new AbortController();
    const poll = async () => {
      try {
        const response = await fetch('/api/cameras', { signal: controller.signal, cache: 'no-store' });
        if (response.ok) setState((await response.json()) as DashboardState);
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

  return state;
}

/** One camera's page: its status, and the cameras file's errors, which concern whoever watches it too. */
export function useCameraStatus(initial: PublicCamera, initialConfig: DashboardState['config']): { camera: PublicCamera; config: DashboardState['config'] } {
  const { cameras, config } = useDashboardState({ cameras: [initial], config: initialConfig });
  return { camera: cameras.find((camera) => camera.id === initial.id) ?? initial, config };
}
