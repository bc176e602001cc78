import { describe, expect, it } from 'vitest';
import { anyPerCell, rasterisePolygons } from '@/lib/motion/polygon-mask';

const count = (grid: Uint8Array) => grid.reduce((sum, v) => sum + v, 0);

describe('rasterisePolygons', () => {
  it('covers the pixels whose centres lie inside, in picture fractions whatever the grid size', () => {
    const left = [[[0, 0], [0.5, 0], [0.5, 1], [0, 1]] as const];
    expect(count(rasterisePolygons(left, 160, 90))).toBe(80 * 90);
    expect(count(rasterisePolygons(left, 16, 9))).toBe(8 * 9);
    const grid = rasterisePolygons(left, 4, 1);
    expect([...grid]).toEqual([1, 1, 0, 0]);
  });

  it('fills a triangle by its area, and the union of several polygons once', () => {
    const triangle = [[0, 0], [1, 0], [0, 1]] as const;
    expect(count(rasterisePolygons([triangle], 160, 90)) / (160 * 90)).toBeCloseTo(0.5, 1);
    const twice = rasterisePolygons([triangle, triangle], 160, 90);
    expect(Math.max(...twice)).toBe(1);
  });

  it('ignores polygons of fewer than three points rather than failing', () => {
    expect(count(rasterisePolygons([[[0.1, 0.1], [0.9, 0.9]]], 160, 90))).toBe(0);
  });
});

describe('anyPerCell', () => {
  it('sets a cell when any of its pixels is set, so a cell half under a mask counts as masked', () => {
    const grid = new Uint8Array(4 * 2);
    grid[1] = 1;
    expect([...anyPerCell(grid, 4, 2, 2)]).toEqual([1, 0]);
  });
});
