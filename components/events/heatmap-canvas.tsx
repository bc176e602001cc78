'use client';

import { useEffect, useRef } from 'react';
import type { EventJson } from '@/lib/events/event-json';

/**
 * The event's heatmap, one canvas pixel per cell, stretched over the picture by CSS: the browser's
 * smoothing turns the coarse grid into soft blobs. Cold cells are clear, so the picture shows
 * through; warm ones go from yellow to red.
 */
export function HeatmapCanvas({ heatmap, className = '' }: { heatmap: EventJson['heatmap']; className?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const cells = Uint8Array.from(atob(heatmap.cells), (char) => char.charCodeAt(0));
    const image = context.createImageData(heatmap.width, heatmap.height);
    cells.forEach((value, index) => {
      const heat = value / 255;
      image.data.set([255, Math.round(220 * (1 - heat)), 0, value === 0 ? 0 : Math.round(60 + 150 * heat)], index * 4);
    });
    context.putImageData(image, 0, 0);
  }, [heatmap]);
  return (
    <canvas
      ref={canvas}
      width={heatmap.width}
      height={heatmap.height}
      data-heatmap
      aria-hidden
      className={`pointer-events-none absolute inset-0 size-full opacity-60 ${className}`}
    />
  );
}
