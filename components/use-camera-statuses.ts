'use client';

import { useEffect, useRef, useState } from 'react';
import type { DashboardState } from '@/lib/cameras/dashboard-state';
import type { PublicCamera } from '@/lib/cameras/public-camera';

/** How often the server's view is asked for while the page is in sight. */
export const POLL_EVERY_MS = 2_000;
/**
 * While a camera page's own picture plays, that picture says most of what the status would (a
 * failing camera ends its stream at once), and each ask costs the server about 5 ms of CPU
 * (a third of what serving the camera's video to the page costs): asked less often then.
 */
export const POLL_WHILE_PICTURE_LIVE_MS = 5_000;
/** A tab out of sight is asked for little; coming back into sight asks at once. */
export const POLL_WHILE_HIDDEN_MS = 30_000;

/**
 * The server's view of the cameras (status, reason, fps) and of the cameras file, refreshed while
 * the page is open: an edit of cameras.json shows up without a reload. `everyMs` may change
 * between renders; a shorter wait than the one running asks at once.
 */
export function useDashboardState(initial: DashboardState, everyMs: number = POLL_EVERY_MS): DashboardState {
  const [state, setState] = useState(initial);
  const wanted = useRef(everyMs);
  const askNow = useRef<(() => void) | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asking = false;
    let askedAt = Date.now();
    const waitMs = () => (document.visibilityState === 'hidden' ? POLL_WHILE_HIDDEN_MS : wanted.current);
    const ask = async () => {
      clearTimeout(timer);
      if (asking) return;
      asking = true;
      askedAt = Date.now();
      try {
        const response = await fetch('/api/cameras', { signal: controller.signal, cache: 'no-store' });
        if (response.ok) setState((await response.json()) as DashboardState);
      } catch {
        // Offline for a moment; the next ask tries again.
      } finally {
        asking = false;
      }
      if (!controller.signal.aborted) schedule();
    };
    // The wait is looked at again when it ends: the tab may have hidden meanwhile.
    const schedule = () => {
      timer = setTimeout(() => {
        if (Date.now() - askedAt >= waitMs()) void ask();
        else schedule();
      }, Math.max(0, askedAt + waitMs() - Date.now()));
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void ask();
    };
    // Out of sight, a shorter wait (a picture that stopped as the tab hid) is no reason to ask.
    askNow.current = () => {
      if (document.visibilityState !== 'hidden') void ask();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      controller.abort();
      askNow.current = undefined;
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  useEffect(() => {
    const shorter = everyMs < wanted.current;
    wanted.current = everyMs;
    if (shorter) askNow.current?.();
  }, [everyMs]);

  return state;
}

/**
 * One camera's page: its status, and the cameras file's errors, which concern whoever watches it
 * too. `pictureLive`: the page's picture is playing, so the status is asked for less often.
 */
export function useCameraStatus(initial: PublicCamera, initialConfig: DashboardState['config'], pictureLive = false): { camera: PublicCamera; config: DashboardState['config'] } {
  const { cameras, config } = useDashboardState({ cameras: [initial], config: initialConfig }, pictureLive ? POLL_WHILE_PICTURE_LIVE_MS : POLL_EVERY_MS);
  return { camera: cameras.find((camera) => camera.id === initial.id) ?? initial, config };
}
