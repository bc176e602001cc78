import type { Page } from 'playwright-core';

/** What the page's camera videos (`video[data-video]`) presented so far, per camera. */
export type VideoFrameCounts = {
  /** performance.now() in the page when read. */
  now: number;
  /** requestVideoFrameCallback callbacks: frames presented for composition. */
  presented: Record<string, number>;
  /** ms after navigation start of each camera's first presented frame. */
  firstPresented: Record<string, number>;
  /** Distinct `src` values each camera's video was given: one per MsePlayer that played in it. */
  sources: Record<string, number>;
};

/**
 * Installed before the page's own scripts (Playwright serialises it: it must not use anything from
 * outside its body); the app is not changed. Every camera <video>, from the moment it is in the
 * document, gets a requestVideoFrameCallback of its own, renewed at each frame, so each frame the
 * browser presents is counted, whichever player (or none) feeds the element.
 */
export function installVideoFrameCounter(): void {
  const counts = {
    presented: {} as Record<string, number>,
    firstPresented: {} as Record<string, number>,
    sources: {} as Record<string, number>,
  };
  (window as unknown as { __videoFrames: typeof counts }).__videoFrames = counts;
  const watched = new WeakSet<HTMLVideoElement>();
  const sourcesSeen = new Map<string, Set<string>>();
  const watch = (video: HTMLVideoElement) => {
    if (watched.has(video)) return;
    watched.add(video);
    const onFrame = (now: number) => {
      const id = video.dataset.video;
      if (id !== undefined) {
        counts.presented[id] = (counts.presented[id] ?? 0) + 1;
        counts.firstPresented[id] ??= now;
        const seen = sourcesSeen.get(id) ?? new Set<string>();
        sourcesSeen.set(id, seen);
        if (video.src) seen.add(video.src);
        counts.sources[id] = seen.size;
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver(() => {
    for (const video of document.querySelectorAll<HTMLVideoElement>('video[data-video]')) watch(video);
  }).observe(document, { childList: true, subtree: true });
}

export const readVideoFrames = (page: Page): Promise<VideoFrameCounts> =>
  page.evaluate(() => {
    const counts = (window as unknown as { __videoFrames: Omit<VideoFrameCounts, 'now'> }).__videoFrames;
    return {
      now: performance.now(),
      presented: { ...counts.presented },
      firstPresented: { ...counts.firstPresented },
      sources: { ...counts.sources },
    };
  });

/** Frames the page's camera video presents in `ms` (requestVideoFrameCallback), counted in the page; bounded even if none come. */
export async function framesPresentedIn(page: Page, ms: number): Promise<number> {
  return page.evaluate((windowMs) => {
    const video = document.querySelector<HTMLVideoElement>('video[data-video]');
    if (!video) return 0;
    return new Promise<number>((resolve) => {
      let frames = 0;
      let open = true;
      const count = () => {
        if (!open) return;
        frames += 1;
        video.requestVideoFrameCallback(count);
      };
      video.requestVideoFrameCallback(count);
      setTimeout(() => {
        open = false;
        resolve(frames);
      }, windowMs);
    });
  }, ms);
}
