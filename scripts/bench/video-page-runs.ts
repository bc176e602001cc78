/**
 * Runs 10 and 11 of npm run bench, in Chromium on the real camera page: the delay from the camera
 * to the screen, read from the clock stamped into the pictures the page shows (page-clock.ts), on
 * the H.264 path and, for comparison, on the MJPEG canvas path; and how soon a viewer joining a
 * running camera with a 4 s keyframe interval sees its first frame.
 */
import type { Page } from 'playwright-core';
import type { TestBrowser } from '../../tests/helpers/browser';
import { delayMs } from './clock-stamp';
import { copyDelays } from './copy-delay';
import { drainScreenSamples, firstPicture, installPageClock, refuseEveryCodec, screenDelays, type ScreenSample } from './page-clock';
import { fixed, sleep } from './table';
import { camerasStopped, type VideoRunContext } from './video-runs';
import { closeBrowser, closeVideoViewers, openBrowser, openVideoViewers } from './video-resources';
import { percentile } from './viewer-stats';
import { waitFor } from '../../tests/helpers/wait-for';

const delayWindowMs = (quick: boolean) => (quick ? 10_000 : 30_000);
/** How long run 10 keeps the H.264 page playing, to see whether the delay drifts (BENCH_PLAY_MINUTES, default 10). */
const playMs = (quick: boolean) => (quick ? 60_000 : Number(process.env.BENCH_PLAY_MINUTES ?? 10) * 60_000);
const JOINS = 10;
/** Joins are this far apart: 0.4 s more than the 4 s GOP, so that they land at every point of it in turn. */
const JOIN_SPACING_MS = 4_400;
const DRAIN_EVERY_MS = 5_000;

export function videoPageRunsMs(quick: boolean): number {
  return playMs(quick) + 2 * delayWindowMs(quick) + (JOINS + 2) * JOIN_SPACING_MS + 90_000;
}

const p95 = (values: readonly number[]) => percentile(values, 0.95);
const median = (values: readonly number[]) => percentile(values, 0.5);
const stats = (values: readonly number[]) => `${median(values)} / ${p95(values)} / ${Math.max(...values)} ms`;

async function openCameraPage(browser: TestBrowser, url: string, { mjpeg = false } = {}): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript(installPageClock);
  if (mjpeg) await page.addInitScript(refuseEveryCodec);
  await page.goto(url);
  await page.waitForSelector(`[data-live-path="${mjpeg ? 'mjpeg' : 'h264'}"]`, { timeout: 15_000 });
  await waitFor(async () => (await drainScreenSamples(page)).length > 0, { timeoutMs: 15_000, message: `the page to show a ${mjpeg ? 'canvas' : 'video'} frame` });
  return page;
}

/** The page's samples over `ms`, drained every few seconds so that the page keeps few. */
async function collect(page: Page, ms: number): Promise<ScreenSample[]> {
  const samples: ScreenSample[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await sleep(Math.min(DRAIN_EVERY_MS, until - Date.now()));
    samples.push(...(await drainScreenSamples(page)));
  }
  return samples;
}

/**
 * Run 10. The camera page of a clock-stamped camera: warm-up, a first window (median / p95 / max),
 * playing on to `playMs` in all, the last window's p95 (drift); then the same camera's MJPEG
 * canvas path (the page's fallback when MediaSource refuses the codec), for comparison.
 */
export async function runScreenDelay(context: VideoRunContext, cameraId: string, rtspUrl: string): Promise<void> {
  const { server, rows, quick } = context;
  const windowMs = delayWindowMs(quick);
  await camerasStopped(server, '10');
  const browser = await openBrowser();
  try {
    const page = await openCameraPage(browser, `${server.url}/cameras/${cameraId}`);
    const playingFrom = Date.now();
    await sleep(context.warmUpMs);
    await drainScreenSamples(page);
    const first = await collect(page, windowMs);
    const firstDelays = screenDelays(first);
    const minutes: string[] = [];
    const tail: ScreenSample[] = [];
    let unreadable = firstDelays.unreadable;
    const playUntil = playingFrom + playMs(quick);
    for (let minute = 1; Date.now() < playUntil - windowMs; minute += 1) {
      const chunk = await collect(page, Math.min(60_000, playUntil - windowMs - Date.now()));
      const { delays, unreadable: bad } = screenDelays(chunk);
      unreadable += bad;
      if (delays.length) minutes.push(`${fixed((Date.now() - playingFrom) / 60_000)} min ${p95(delays)}`);
    }
    tail.push(...(await collect(page, windowMs)));
    const lastDelays = screenDelays(tail);
    unreadable += lastDelays.unreadable;
    const playedMinutes = (Date.now() - playingFrom) / 60_000;
    console.error(`run 10: H.264 camera → screen p95 by minute: ${minutes.join(', ')} ms`);
    const behindMs = (samples: readonly ScreenSample[]) => samples.flatMap((sample) => (sample.behindS === undefined ? [] : [sample.behindS * 1000]));
    const behind = behindMs(first);
    const behindAtEnd = behindMs(tail);
    await page.close();

    const mjpegPage = await openCameraPage(browser, `${server.url}/cameras/${cameraId}`, { mjpeg: true });
    await sleep(context.warmUpMs);
    await drainScreenSamples(mjpegPage);
    const mjpeg = screenDelays(await collect(mjpegPage, windowMs));
    await mjpegPage.close();
    // Where the delay goes before camdash: the camera's own copy, with and without the fMP4 muxer.
    const copy = await copyDelays(rtspUrl, context.warmUpMs, windowMs);

    const seconds = windowMs / 1000;
    rows.push({ run: '10 camera → screen, H.264 in Chromium', measure: `first ${seconds} s: median / p95 / max`, value: stats(firstDelays.delays), target: '≤ 300 ms (p95)', met: p95(firstDelays.delays) <= 300 });
    rows.push({ run: '', measure: `frames read in ${seconds} s; unreadable stamps (all)`, value: `${firstDelays.delays.length} (${fixed(firstDelays.delays.length / seconds, 1)} fps); ${unreadable}` });
    rows.push({ run: '', measure: 'playback behind newest buffered: median / p95', value: `${fixed(median(behind), 0)} / ${fixed(p95(behind), 0)} ms` });
    rows.push({ run: '', measure: `after ${fixed(playedMinutes)} min, last ${seconds} s: median / p95`, value: `${median(lastDelays.delays)} / ${p95(lastDelays.delays)} ms`, target: '≤ 300 ms (p95)', met: p95(lastDelays.delays) <= 300 });
    rows.push({ run: '', measure: 'then behind newest buffered: median / p95', value: `${fixed(median(behindAtEnd), 0)} / ${fixed(p95(behindAtEnd), 0)} ms` });
    rows.push({ run: '', measure: "ffmpeg alone, the copy's fragments: median / p95", value: `${median(copy.fragments)} / ${p95(copy.fragments)} ms` });
    rows.push({ run: '', measure: 'the same copy as raw H.264: median / p95', value: `${median(copy.packets)} / ${p95(copy.packets)} ms` });
    rows.push({ run: '10 camera → screen, MJPEG canvas', measure: `same camera, ${seconds} s: median / p95 / max`, value: `${stats(mjpeg.delays)} (${fixed(mjpeg.delays.length / seconds, 1)} fps)` });
  } finally {
    await closeBrowser(browser);
  }
}

/**
 * Run 11. A camera with a 4 s keyframe interval kept running by an HTTP video viewer; the camera
 * page opened on it 10 times, 4.4 s apart (so at every point of the GOP), each time in a new tab:
 * navigation start → the first frame presented (requestVideoFrameCallback's presentationTime),
 * and how old that first picture was (its stamp). One navigation before them fills the browser's
 * cache with the page's scripts; it is printed apart.
 */
/** Frames a viewer arriving now is sent before the newest: those since the last keyframe (its own included). */
function framesSinceKeyframe(arrivals: readonly { keyframe: boolean }[]): number {
  for (let index = arrivals.length - 1; index >= 0; index -= 1) if (arrivals[index]!.keyframe) return arrivals.length - index;
  return arrivals.length;
}

export async function runVideoJoin(context: VideoRunContext, cameraId: string): Promise<void> {
  const { server, rows, quick } = context;
  await camerasStopped(server, '11');
  const [keeper] = openVideoViewers(`${server.url}/api/cameras/${cameraId}/video`, 1);
  const browser = await openBrowser();
  try {
    await waitFor(() => keeper!.arrivals.length > 3, { timeoutMs: 20_000, message: 'the 4 s GOP camera to run' });
    const join = async () => {
      const page = await browser.context.newPage();
      try {
        await page.addInitScript(installPageClock);
        // Where in its GOP the camera is: the frames a joining viewer is sent before the newest.
        const sinceKeyframe = framesSinceKeyframe(keeper!.arrivals);
        await page.goto(`${server.url}/cameras/${cameraId}`, { waitUntil: 'commit' });
        const first = await firstPicture(page, 10_000);
        return { ...first, ageMs: delayMs(first.at, first.stamp), sinceKeyframe };
      } finally {
        await page.close();
      }
    };
    const cold = await join();
    const joins: Awaited<ReturnType<typeof join>>[] = [];
    const count = quick ? 5 : JOINS;
    const start = Date.now() + JOIN_SPACING_MS;
    for (let attempt = 0; attempt < count; attempt += 1) {
      await sleep(Math.max(0, start + attempt * JOIN_SPACING_MS - Date.now()));
      joins.push(await join());
    }
    const times = joins.map((one) => Math.round(one.presentedMs));
    const ages = joins.map((one) => one.ageMs);
    const phase = (pick: (one: (typeof joins)[number]) => number | undefined) => median(joins.map((one) => Math.round(pick(one) ?? NaN)));
    for (const one of joins) {
      console.error(`run 11: HTML ${fixed(one.htmlMs ?? NaN, 0)} ms, DOM ready ${fixed(one.domReadyMs ?? NaN, 0)} ms, <video> ${fixed(one.videoElementMs ?? NaN, 0)} ms, fetch /video ${fixed(one.videoFetchMs ?? NaN, 0)} ms, its headers ${fixed(one.videoHeadersMs ?? NaN, 0)} ms, first frame ${fixed(one.presentedMs, 0)} ms (age ${one.ageMs} ms), ${one.sinceKeyframe} frames since the keyframe`);
    }
    // The bound is from the stream's start: the page asking for /video, which is when
    // camdash can first do anything for this viewer; navigation → first frame is printed beside it.
    const fromStream = joins.map((one) => Math.round(one.presentedMs - (one.videoFetchMs ?? NaN)));
    rows.push({ run: `11 joining, 4 s GOP (${count} times)`, measure: 'asks for /video → first frame: median / max', value: `${median(fromStream)} / ${Math.max(...fromStream)} ms`, target: '≤ 300 ms', met: Math.max(...fromStream) <= 300 });
    rows.push({ run: '', measure: 'navigation → first frame: median / max', value: `${median(times)} / ${Math.max(...times)} ms` });
    rows.push({ run: '', measure: 'age of that first picture: median / max', value: `${median(ages)} / ${Math.max(...ages)} ms` });
    rows.push({ run: '', measure: 'navigation → HTML; DOM ready (median)', value: `${phase((one) => one.htmlMs)} ms; ${phase((one) => one.domReadyMs)} ms` });
    rows.push({ run: '', measure: 'navigation → asks for /video; headers (median)', value: `${phase((one) => one.videoFetchMs)} ms; ${phase((one) => one.videoHeadersMs)} ms` });
    rows.push({ run: '', measure: 'frames since the keyframe at the joins', value: `${Math.min(...joins.map((one) => one.sinceKeyframe))}–${Math.max(...joins.map((one) => one.sinceKeyframe))}` });
    rows.push({ run: '', measure: 'first navigation (scripts not cached)', value: `${Math.round(cold.presentedMs)} ms (age ${cold.ageMs} ms)` });
  } finally {
    await closeBrowser(browser);
    await closeVideoViewers([keeper!]);
  }
}
