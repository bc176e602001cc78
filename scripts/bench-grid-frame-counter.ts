import type { Page } from 'playwright-core';

/** What the page did with its frames so far, per camera where it can be told apart. */
export type PageCounts = {
  now: number;
  /** Per camera: multipart parts whose headers the page's stream reader decoded (frames that arrived). */
  received: Record<string, number>;
  /** Per camera: frames drawn on its canvas (drawImage calls). */
  drawn: Record<string, number>;
  /** Per camera: rendering updates at which its canvas held a newer frame than at the one before. */
  shown: Record<string, number>;
  /** Per camera: ms after navigation start of the first rendering update with a frame on its canvas. */
  firstShown: Record<string, number>;
  /** createImageBitmap calls (all cameras), those that resolved, and their summed call-to-bitmap ms. */
  decodes: number;
  decoded: number;
  decodeMs: number;
  /** Rendering updates (requestAnimationFrame callbacks) of the page. */
  renders: number;
  /** Main-thread tasks over 50 ms (PerformanceObserver 'longtask'): their total ms, and how many. */
  longTaskMs: number;
  longTasks: number;
};

/**
 * Installed before the page's own scripts (Playwright serialises it: it must not use anything from
 * outside its body). The app is not changed; the counter wraps what the app calls:
 * - TextDecoder.decode: the multipart reader decodes each part's headers with it, so an
 *   `X-Camera:` line there is a frame that arrived. Nothing else the page decodes has such a line.
 * - createImageBitmap: every decode the renderer starts, and how long until its bitmap is ready.
 * - CanvasRenderingContext2D.drawImage: every frame drawn, attributed to the canvas's data-picture.
 * - requestAnimationFrame: at each rendering update, which canvases hold a newer frame than at the
 *   update before (several draws between two updates show only the last).
 */
export function installFrameCounter(): void {
  const counts = {
    received: {} as Record<string, number>,
    drawn: {} as Record<string, number>,
    shown: {} as Record<string, number>,
    firstShown: {} as Record<string, number>,
    decodes: 0,
    decoded: 0,
    decodeMs: 0,
    renders: 0,
    longTaskMs: 0,
    longTasks: 0,
  };
  (window as unknown as { __bench: typeof counts }).__bench = counts;
  const add = (table: Record<string, number>, id: string) => (table[id] = (table[id] ?? 0) + 1);

  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (this: TextDecoder, ...args: Parameters<TextDecoder['decode']>) {
    const text = decode.apply(this, args);
    // Part headers are a few lines; long texts (page data) are not worth a regular expression.
    if (text.length < 2048) {
      const camera = /^x-camera:[ \t]*([^\r\n]+)/im.exec(text)?.[1]?.trim();
      if (camera) add(counts.received, camera);
    }
    return text;
  };

  const createBitmap = window.createImageBitmap;
  window.createImageBitmap = function (...args: unknown[]) {
    const started = performance.now();
    counts.decodes += 1;
    const bitmap = (createBitmap as (...args: unknown[]) => Promise<ImageBitmap>).apply(window, args);
    bitmap.then(
      () => {
        counts.decoded += 1;
        counts.decodeMs += performance.now() - started;
      },
      () => {},
    );
    return bitmap;
  } as typeof window.createImageBitmap;

  const drawsOf = new WeakMap<HTMLCanvasElement, number>();
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
    const id = this.canvas.dataset.picture;
    if (id !== undefined) {
      add(counts.drawn, id);
      drawsOf.set(this.canvas, (drawsOf.get(this.canvas) ?? 0) + 1);
    }
    return (drawImage as (...args: unknown[]) => void).apply(this, args);
  } as typeof drawImage;

  const canvases = document.getElementsByTagName('canvas'); // live
  const drawsAtLastRender = new WeakMap<HTMLCanvasElement, number>();
  const onRender = (now: number) => {
    counts.renders += 1;
    for (const canvas of canvases) {
      const id = canvas.dataset.picture;
      const draws = drawsOf.get(canvas) ?? 0;
      if (id === undefined || draws === 0) continue;
      counts.firstShown[id] ??= now;
      if (draws !== drawsAtLastRender.get(canvas)) {
        drawsAtLastRender.set(canvas, draws);
        add(counts.shown, id);
      }
    }
    requestAnimationFrame(onRender);
  };
  requestAnimationFrame(onRender);

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      counts.longTaskMs += entry.duration;
      counts.longTasks += 1;
    }
  }).observe({ type: 'longtask' });
}

export const readCounts = (page: Page): Promise<PageCounts> =>
  page.evaluate(() => {
    const counts = (window as unknown as { __bench: Omit<PageCounts, 'now'> }).__bench;
    return {
      ...counts,
      now: performance.now(),
      received: { ...counts.received },
      drawn: { ...counts.drawn },
      shown: { ...counts.shown },
      firstShown: { ...counts.firstShown },
    };
  });
