'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** ← and → go to the previous and next camera, as on a video wall's remote. */
export function useCameraKeys(previous: string | null, next: string | null): void {
  const router = useRouter();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable], dialog')) return;
      const target = event.key === 'ArrowLeft' ? previous : event.key === 'ArrowRight' ? next : null;
      if (target) router.push(`/cameras/${encodeURIComponent(target)}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router, previous, next]);
}
