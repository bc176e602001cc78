/**
 * The playback page (/cameras/<id>/playback) driven in Chromium, on footage whose pictures carry
 * their own clock (scripts/bench/page-clock.ts reads it from what the page's <video> presents):
 * waiting for the picture of a moment, zooming the timeline, clicking a moment on it. Shared by
 * tests/e2e/playback.test.ts and npm run bench:recording. Imports are relative: the benchmark
 * loads this file with jiti, which knows no '@/' alias.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { ZOOM_LEVELS_MS } from '../../components/playback/timeline-geometry';
import { delayMs } from '../../scripts/bench/clock-stamp';
import { drainScreenSamples, installPageClock, type ScreenSample } from '../../scripts/bench/page-clock';
import { waitFor } from './wait-for';

/** A picture within this much of a moment is that moment's picture. */
export const WITHIN_MS = 1_000;

/**
 * A new page of `camera`'s playback, at `at` (as given: '' for none, a wrong one to see it refused),
 * reading the clock of every picture it presents; `init` scripts run before the page's own.
 */
export async function openPlaybackPage(context: BrowserContext, serverUrl: string, camera: string, at: number | string, init: (() => void)[] = []): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(installPageClock);
  for (const script of init) await page.addInitScript(script);
  await page.goto(`${serverUrl}/cameras/${encodeURIComponent(camera)}/playback${at === '' ? '' : `?at=${at}`}`);
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

/** The clock time a sample's picture shows, taken as the one nearest `near` (the stamp wraps every 49 days). */
export const stampOf = (sample: ScreenSample, near: number) => near - delayMs(near, sample.stamp);

/** The stretch the timeline shows now. */
export async function timelineView(page: Page): Promise<{ from: number; to: number }> {
  const bar = page.locator('[data-timeline]');
  return { from: Number(await bar.getAttribute('data-from')), to: Number(await bar.getAttribute('data-to')) };
}

/** Fully zoomed in (5 minutes across, around the picture), so that a pixel is a fraction of a second. */
export async function zoomTimelineIn(page: Page): Promise<void> {
  for (let level = 1; level < ZOOM_LEVELS_MS.length; level += 1) await page.click('button[aria-label="Zoom in"]');
  const width = ZOOM_LEVELS_MS.at(-1)!;
  await page.waitForFunction((width) => {
    const bar = document.querySelector('[data-timeline]');
    return Number(bar?.getAttribute('data-to')) - Number(bar?.getAttribute('data-from')) === width;
  }, width);
}

export type TimelineClick = {
  /** The moment under the pixel clicked: what the page seeks to. */
  target: number;
  /** From the click to the first presented picture of `target`, ms. */
  ms: number;
  /** That picture. */
  picture: ScreenSample;
};

/** Clicks the timeline's pixel nearest `wanted` (which must be in view) and waits for the picture of that moment. */
export async function clickTimeline(page: Page, wanted: number, timeoutMs: number): Promise<TimelineClick> {
  const bar = page.locator('[data-timeline]');
  const box = (await bar.boundingBox())!;
  const { from, to } = await timelineView(page);
  if (wanted < from || wanted > to) throw new Error(`${new Date(wanted).toISOString()} is not on the timeline (${new Date(from).toISOString()} – ${new Date(to).toISOString()})`);
  const x = Math.round(((wanted - from) / (to - from)) * box.width);
  const target = Math.round(from + (x / box.width) * (to - from));
  await drainScreenSamples(page);
  const clickedAt = Date.now();
  await page.mouse.click(box.x + x, box.y + box.height / 2);
  const picture = (await picturesUntil(page, target, timeoutMs)).at(-1)!;
  return { target, ms: picture.at - clickedAt, picture };
}
