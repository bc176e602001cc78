import type { Page } from 'playwright-core';
import { delayMs } from '../../scripts/bench/clock-stamp';
import { drainScreenSamples, installPageClock, type ScreenSample } from '../../scripts/bench/page-clock';
import type { E2eSession } from '../helpers/e2e-session';
import { waitFor } from '../helpers/wait-for';

/**
 * The playback page in Chromium, for the tests on fixture footage (playback.test.ts) and on what
 * the real recorder wrote (recording.test.ts): every picture carries its clock time in its pixels,
 * read back from what the page's <video> presents.
 */
export const WITHIN_MS = 1_000;

/** Counts the playback video's waits ('waiting' until it plays again), in the page. */
export function watchWaits(): void {
  const state = { waits: [] as number[], since: undefined as number | undefined };
  (window as unknown as { __waits: typeof state }).__waits = state;
  new MutationObserver(() => {
    const video = document.querySelector<HTMLVideoElement>('video[data-playback-video]');
    if (!video || video.dataset.watched) return;
    video.dataset.watched = '1';
    video.addEventListener('waiting', () => (state.since ??= performance.now()));
    const resumed = () => {
      if (state.since === undefined || video.paused) return;
      state.waits.push(performance.now() - state.since);
      state.since = undefined;
    };
    video.addEventListener('playing', resumed);
    video.addEventListener('timeupdate', resumed);
  }).observe(document, { childList: true, subtree: true });
}

export async function openPlayback(session: E2eSession, camera: string, at: number | string): Promise<Page> {
  const page = await session.browser.context.newPage();
  await page.addInitScript(installPageClock);
  await page.addInitScript(watchWaits);
  await page.goto(`${session.server.url}/cameras/${camera}/playback${at === '' ? '' : `?at=${at}`}`);
  return page;
}

/** Pictures presented from now on, until one shows `target` (within WITHIN_MS); all of them, that one last. */
export async function picturesUntil(page: Page, target: number, timeoutMs: number): Promise<ScreenSample[]> {
  const seen: ScreenSample[] = [];
  await waitFor(
    async () => {
      seen.push(...(await drainScreenSamples(page)));
      return seen.some((sample) => Math.abs(delayMs(target, sample.stamp)) <= WITHIN_MS);
    },
    { timeoutMs, intervalMs: 20, message: `a picture of ${new Date(target).toISOString()}` },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}; stamps shown: ${seen.slice(-3).map((sample) => sample.stamp - (target % 2 ** 32)).join(', ')} ms from it; the video: ${await videoState(page)}`);
  });
  return seen.slice(0, seen.findIndex((sample) => Math.abs(delayMs(target, sample.stamp)) <= WITHIN_MS) + 1);
}

/** What the page's video is doing, for a failure's message. */
export const videoState = (page: Page) =>
  page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('video[data-playback-video]');
    if (!video) return 'none';
    const ranges = Array.from({ length: video.buffered.length }, (_, i) => `${video.buffered.start(i).toFixed(2)}–${video.buffered.end(i).toFixed(2)}`);
    return JSON.stringify({ currentTime: video.currentTime, seeking: video.seeking, paused: video.paused, readyState: video.readyState, state: video.dataset.state, ranges, error: video.error?.message });
  });

export const stampOf = (sample: ScreenSample, near: number) => near - delayMs(near, sample.stamp);

