/** A group of touching set cells, and the box around it, in cells. */
export type Blob = { label: number; area: number; x0: number; y0: number; x1: number; y1: number };

/**
 * Finds the 8-connected groups of set cells of a width × height grid, writing each cell's group
 * number (from 1) into `labels` (0: not set). An explicit stack instead of recursion: a blob as
 * large as the picture must not overflow the call stack. Each cell is pushed at most once, so the
 * work is bounded by the grid's size.
 */
export class BlobFinder {
  readonly labels: Int32Array;
  private readonly stack: Int32Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {
    this.labels = new Int32Array(width * height);
    this.stack = new Int32Array(width * height);
  }

  find(set: Uint8Array): Blob[] {
    const { width, height, labels, stack } = this;
    labels.fill(0);
    const blobs: Blob[] = [];
    for (let start = 0; start < set.length; start++) {
      if (set[start] === 0 || labels[start] !== 0) continue;
      const label = blobs.length + 1;
      const blob: Blob = { label, area: 0, x0: width, y0: height, x1: -1, y1: -1 };
      let top = 0;
      stack[top++] = start;
      labels[start] = label;
      while (top > 0) {
        const cell = stack[--top]!;
        const x = cell % width;
        const y = (cell - x) / width;
        blob.area++;
        if (x < blob.x0) blob.x0 = x;
        if (x > blob.x1) blob.x1 = x;
        if (y < blob.y0) blob.y0 = y;
        if (y > blob.y1) blob.y1 = y;
        for (let dy = -1; dy <= 1; dy++) {
          const ny = y + dy;
          if (ny < 0 || ny >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            if (nx < 0 || nx >= width) continue;
            const next = ny * width + nx;
            if (set[next] !== 0 && labels[next] === 0) {
              labels[next] = label;
              stack[top++] = next;
            }
          }
        }
      }
      blobs.push(blob);
    }
    return blobs;
  }
}
