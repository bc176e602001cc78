import type { Blob } from './blobs';
import { HEATMAP, type Box } from './types';

/** What a verdict says of the moving cells: their boxes, the zones they touch, the heatmap cells. */

/** Blob boxes, from cells of `cell` pixels to fractions of a width × height picture. */
export function boxesOf(blobs: Blob[], cell: number, width: number, height: number): Box[] {
  return blobs.map((blob) => ({
    x: (blob.x0 * cell) / width,
    y: (blob.y0 * cell) / height,
    width: (Math.min(width, (blob.x1 + 1) * cell) - blob.x0 * cell) / width,
    height: (Math.min(height, (blob.y1 + 1) * cell) - blob.y0 * cell) / height,
  }));
}

/** The names of the zones (each a cell grid) with at least one moving cell. */
export function zonesTouched(moving: Uint8Array, zones: readonly { name: string; cells: Uint8Array }[]): string[] {
  return zones.filter((zone) => zone.cells.some((inZone, c) => inZone !== 0 && moving[c] !== 0)).map((zone) => zone.name);
}

/** Moving pixels per HEATMAP cell (at most 255), from each pixel's cell (`cellOf`). */
export function heatmapCells(moving: Uint8Array, cellOf: Int32Array, width: number, height: number): Uint8Array {
  const cells = new Uint8Array(HEATMAP.width * HEATMAP.height);
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * HEATMAP.height) / height) * HEATMAP.width;
    for (let x = 0; x < width; x++) {
      if (!moving[cellOf[y * width + x]!]) continue;
      const h = row + Math.floor((x * HEATMAP.width) / width);
      if (cells[h]! < 255) cells[h]!++;
    }
  }
  return cells;
}
