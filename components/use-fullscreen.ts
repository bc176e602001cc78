'use client';

import { useCallback, useEffect, useState, type RefObject } from 'react';

/** The browser's fullscreen for one element, toggled by a button or the `f` key. */
export function useFullscreen(element: RefObject<HTMLElement | null>): { isFullscreen: boolean; toggle: () => void } {
  const [isFullscreen, setIsFullscreen] = useState(false);

  const toggle = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void element.current?.requestFullscreen?.().catch(() => {});
  }, [element]);

  useEffect(() => {
    const onChange = () => setIsFullscreen(document.fullscreenElement === element.current);
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable], dialog');
      if (event.key === 'f' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) toggle();
    };
    document.addEventListener('fullscreenchange', onChange);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      window.removeEventListener('keydown', onKey);
    };
  }, [element, toggle]);

  return { isFullscreen, toggle };
}
