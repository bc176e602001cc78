import type { Polygon } from './types';

/**
 * Rasterises polygons (coordinates 0–1) onto a width × height grid: 1 where a pixel's centre lies
 * inside any of them (even-odd rule, so a self-crossing polygon behaves as users draw it), else 0.
 * Pixel centres rather than "any overlap" so a mask drawn on a 1280-wide picture covers the same
 * share of the 160-wide one. Run once per configuration, never per frame.
 */
export function rasterisePolygons(polygons: readonly Polygon[], width: number, height: number): Uint8Array {
  const grid = new Uint8Array(width * height);
  for (const polygon of polygons) {
    if (polygon.length < 3) continue;
    for (let y = 0; y < height; y++) {
      const py = (y + 0.5) / height;
      for (let x = 0; x < width; x++) {
        if (contains(polygon, (x + 0.5) / width, py)) grid[y * width + x] = 1;
      }
    }
  }
  return grid;
}

function contains(polygon: Polygon, px: number, py: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * A pixel grid reduced to cells of `cell` × `cell` pixels: a cell is set when any of its pixels is.
 * Masks are reduced this way so that a cell half under a mask is not looked at (a swaying branch at
 * the mask's edge must not leak in), zones so that a cell half in a zone counts for it.
 */
export function anyPerCell(grid: Uint8Array, width: number, height: number, cell: number): Uint8Array {
  const cellsWide = Math.floor(width / cell);
  const cellsHigh = Math.floor(height / cell);
  const cells = new Uint8Array(cellsWide * cellsHigh);
  for (let cy = 0; cy < cellsHigh; cy++) {
    for (let cx = 0; cx < cellsWide; cx++) {
      let any = 0;
      for (let dy = 0; dy < cell && !any; dy++) {
        const row = (cy * cell + dy) * width + cx * cell;
        for (let dx = 0; dx < cell; dx++) any |= grid[row + dx]!;
      }
      cells[cy * cellsWide + cx] = any;
    }
  }
  return cells;
}
