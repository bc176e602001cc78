import type { Page } from 'playwright-core';
import { delayMs } from './clock-stamp';

/**
 * The camera page's picture, read in the page: the clock that tests/fixtures/rtsp-server.py
 * --clock-stamp draws into each picture, taken from the pixels the page shows, against the page's
 * Date.now() (the same machine's clock). The functions handed to the page are self-contained
 * (Playwright sends their source): the stamp is read by the rule of clock-stamp.ts stampFromStrip,
 * the 32 blocks of 32×32 px across the top left, each block's centre ≥ 128 a 1, MSB first.
 */

/** A picture on screen: when (Date.now()), the stamp it carried, and for video how far playback was behind the newest buffered frame. */
export type ScreenSample = { at: number; stamp: number; behindS?: number };
/**
 * The first picture the page presented: requestVideoFrameCallback's presentationTime, ms from
 * navigation start; and, on the way to it, when the page asked for the video (fetch), when the
 * response's headers came, when the <video> element was there, when the page's HTML had come and
 * when its DOM was ready (DOMContentLoaded ended; all ms from navigation start).
 */
export type FirstPicture = { presentedMs: number; at: number; stamp: number; videoFetchMs?: number; videoHeadersMs?: number; videoElementMs?: number; htmlMs?: number; domReadyMs?: number };
type PageClock = { samples: ScreenSample[]; first?: FirstPicture };

/**
 * Init script: every presented frame of the page's camera <video> (video[data-video], watched
 * from the moment it exists), its top strip drawn into a canvas in requestVideoFrameCallback and
 * its stamp decoded. A canvas picture (the MJPEG path, canvas[data-picture]) is read from the
 * bitmap drawn into it, and its time taken at the next animation frame, when it is painted.
 */
export function installPageClock(): void {
  // 10 minutes at 15 fps, with room: the benchmark drains the samples every few seconds anyway.
  const maxSamples = 20_000;
  const bits = 32;
  const block = 32;
  const width = bits * block;
  type Marks = { videoFetchMs?: number; videoHeadersMs?: number; videoElementMs?: number; htmlMs?: number; domReadyMs?: number };
  const state: { samples: { at: number; stamp: number; behindS?: number }[]; first?: { presentedMs: number; at: number; stamp: number } & Marks; marks: Marks } = { samples: [], marks: {} };
  (window as unknown as { __benchClock: typeof state }).__benchClock = state;
  const strip = document.createElement('canvas');
  strip.width = width;
  strip.height = block;
  const context = strip.getContext('2d', { willReadFrequently: true })!;
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  const readStamp = (image: CanvasImageSource): number => {
    (draw as (...args: unknown[]) => void).call(context, image, 0, 0, width, block, 0, 0, width, block);
    const pixels = context.getImageData(0, 0, width, block).data;
    let value = 0;
    for (let bit = 0; bit < bits; bit += 1) {
      const at = ((block / 2) * width + bit * block + block / 2) * 4;
      const gray = 0.299 * pixels[at]! + 0.587 * pixels[at + 1]! + 0.114 * pixels[at + 2]!;
      value = value * 2 + (gray >= 128 ? 1 : 0);
    }
    return value;
  };
  const note = (sample: { at: number; stamp: number; behindS?: number }) => {
    if (state.samples.length < maxSamples) state.samples.push(sample);
  };

  const watched = new WeakSet<HTMLVideoElement>();
  const watch = (video: HTMLVideoElement) => {
    const onFrame = (_now: number, metadata: { presentationTime: number }) => {
      const at = Date.now();
      const stamp = readStamp(video);
      const buffered = video.buffered;
      const behindS = buffered.length ? buffered.end(buffered.length - 1) - video.currentTime : undefined;
      if (!state.first) {
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        state.first = { presentedMs: metadata.presentationTime, at, stamp, ...state.marks, htmlMs: navigation?.responseEnd, domReadyMs: navigation?.domContentLoadedEventEnd };
      }
      note({ at, stamp, ...(behindS === undefined ? {} : { behindS }) });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver(() => {
    for (const video of document.querySelectorAll<HTMLVideoElement>('video[data-video]')) {
      if (watched.has(video)) continue;
      watched.add(video);
      state.marks.videoElementMs ??= performance.now();
      watch(video);
    }
  }).observe(document, { childList: true, subtree: true });

  const originalFetch = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const response = originalFetch.call(this, input, init);
    const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input);
    if (/\/api\/cameras\/[^/]+\/video/.test(url)) {
      state.marks.videoFetchMs ??= performance.now();
      response.then(() => (state.marks.videoHeadersMs ??= performance.now()), () => {});
    }
    return response;
  } as typeof fetch;

  CanvasRenderingContext2D.prototype.drawImage = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
    const result = (draw as (...drawArgs: unknown[]) => void).apply(this, args);
    if (this.canvas instanceof HTMLCanvasElement && this.canvas.matches('[data-picture]')) {
      const stamp = readStamp(args[0] as CanvasImageSource);
      requestAnimationFrame(() => note({ at: Date.now(), stamp }));
    }
    return result;
  } as typeof draw;
}

/** Init script: a browser whose Media Source Extensions refuse every codec, so that the camera page falls back to MJPEG. */
export function refuseEveryCodec(): void {
  if (window.MediaSource) window.MediaSource.isTypeSupported = () => false;
}

/** Takes the samples noted since the last call, out of the page. */
export async function drainScreenSamples(page: Page): Promise<ScreenSample[]> {
  return page.evaluate(() => (window as unknown as { __benchClock?: PageClock }).__benchClock?.samples.splice(0) ?? []);
}

/** The first presented frame, once there is one (rejects after `timeoutMs`). */
export async function firstPicture(page: Page, timeoutMs: number): Promise<FirstPicture> {
  const handle = await page.waitForFunction(() => (window as unknown as { __benchClock?: PageClock }).__benchClock?.first, undefined, { timeout: timeoutMs, polling: 20 });
  return (await handle.jsonValue()) as FirstPicture;
}

/** A delay this far off is no stamp (a picture without one, or a misread): counted apart. */
const PLAUSIBLE_MS = 60_000;

/** Camera → screen delays of the samples, and how many could not be read. */
export function screenDelays(samples: readonly ScreenSample[]): { delays: number[]; unreadable: number } {
  const delays: number[] = [];
  let unreadable = 0;
  for (const sample of samples) {
    const delay = delayMs(sample.at, sample.stamp);
    if (Math.abs(delay) > PLAUSIBLE_MS) unreadable += 1;
    else delays.push(delay);
  }
  return { delays, unreadable };
}
