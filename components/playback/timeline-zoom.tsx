'use client';

import { SMALL_BUTTON } from './styles';

/** Zoom out and in: from the whole day down to 5 minutes (the wheel over the bar does the same). */
export function TimelineZoom({ level, levels, onZoom }: { level: number; levels: number; onZoom(step: number): void }) {
  return (
    <div className="flex items-center gap-1">
      <button type="button" aria-label="Zoom out" title="Zoom out" disabled={level <= 0} onClick={() => onZoom(-1)} className={SMALL_BUTTON}>
        −
      </button>
      <button type="button" aria-label="Zoom in" title="Zoom in" disabled={level >= levels - 1} onClick={() => onZoom(1)} className={SMALL_BUTTON}>
        +
      </button>
    </div>
  );
}
