import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '@/components/playback/local-day';
import { EventStore } from '@/lib/events/event-store';
import { DEFAULT_RETENTION, EVENTS_FILE_NAME } from '@/lib/events/event-settings';
import { HEATMAP } from '@/lib/motion/types';
import { delayMs } from '../../scripts/bench/clock-stamp';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { clickTimeline, openPlaybackPage, picturesUntil, stampOf, WITHIN_MS, zoomTimelineIn } from '../helpers/playback-page';
import { indexSegments, recordSpan, type RecordedSpan } from '../helpers/recording-fixture';
import { ffmpegPath } from '../unit/recording/recorded-fixture';

// The playback page on the production server, over segment files laid out as the recorder writes
// them (3 s each) and indexed where the server looks; every picture carries its own clock time in
// its pixels, read back from what the page's <video> presents.
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-playback-'));
const dataDir = path.join(directory, 'data');
const recordingsDir = path.join(directory, 'recordings');
const camerasFile = path.join(directory, 'cameras.json');
// Disabled: the page needs the camera's name, not its live picture.
writeFileSync(camerasFile, JSON.stringify({ cameras: [{ id: 'door', name: 'Front door', source: 'test:testsrc2', enabled: false }] }));

// Yesterday at noon, local time: in the past, inside the events' retention, far from midnight.
const T0 = dayOf(Date.now()).start - 12 * 3_600_000;
// Two spans 20 s apart: 10 segments, then 5.
const GAP_MS = 20_000;
let first: RecordedSpan;
let second: RecordedSpan;
let session: E2eSession;
let eventIds: number[] = [];

beforeAll(async () => {
  const ffmpeg = await ffmpegPath();
  first = await recordSpan(ffmpeg, recordingsDir, 'door', T0, 30);
  second = await recordSpan(ffmpeg, recordingsDir, 'door', first.end + GAP_MS, 15);
  indexSegments(dataDir, [...first.segments, ...second.segments]);
  const store = EventStore.open(path.join(dataDir, EVENTS_FILE_NAME), DEFAULT_RETENTION);
  eventIds = [T0 + 20_000, second.start + 4_000].map((startedAt) => {
    const id = store.begin('door', { startedAt, endedAt: null, zones: [], peak: 0.2, peakAt: startedAt, heatmap: new Uint8Array(HEATMAP.width * HEATMAP.height) });
    store.update(id, { startedAt, endedAt: startedAt + 3_000, zones: [], peak: 0.2, peakAt: startedAt, heatmap: new Uint8Array(HEATMAP.width * HEATMAP.height) });
    return id;
  });
  store.close();
  session = await openE2eSession({ camerasFile, env: { CAMDASH_DATA_DIR: dataDir, CAMDASH_RECORDINGS_DIR: recordingsDir } });
});

afterAll(async () => {
  await session?.close();
});

/** Counts the playback video's waits ('waiting' until it plays again), in the page. */
function watchWaits(): void {
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

const openPlayback = (at: number | string): Promise<Page> => openPlaybackPage(session.browser.context, session.server.url, 'door', at, [watchWaits]);

describe('the playback page', () => {
  it('opens at ?at= with the picture of that moment, and its clock says so', async () => {
    const target = T0 + 5_500; // between keyframes: the frames after the keyframe are decoded up to it
    const page = await openPlayback(target);
    const shown = await picturesUntil(page, target, 10_000);
    const picture = shown.at(-1)!;
    console.log(`?at= → first picture ${delayMs(target, picture.stamp)} ms before the target`);
    expect(shown.length, 'the first picture presented is the target one').toBe(1);
    expect(Math.abs(stampOf(picture, target) - target)).toBeLessThanOrEqual(WITHIN_MS);
    const clock = Number(await page.getAttribute('[data-playback-clock]', 'data-playback-clock'));
    expect(Math.abs(clock - target)).toBeLessThanOrEqual(WITHIN_MS);
    await page.waitForFunction(() => document.querySelectorAll('[data-timeline-span]').length === 2 && document.querySelectorAll('[data-timeline-event]').length === 2);
    await page.close();
  });

  it('opens at the last recorded minute without ?at=, and says what is wrong with a bad one', async () => {
    // The last span is 15 s long: it opens at its start.
    for (const at of ['', 'noon']) {
      const page = await openPlayback(at);
      await picturesUntil(page, second.start, 10_000);
      if (at === 'noon') expect(await page.textContent('[role="alert"]')).toContain('at: must be a time in epoch milliseconds (got "noon")');
      await page.close();
    }
  });

  it('plays across segment boundaries without a stall', async () => {
    const page = await openPlayback(T0 + 1_000);
    await picturesUntil(page, T0 + 1_000, 10_000);
    await page.evaluate(() => ((window as unknown as { __waits: { waits: number[] } }).__waits.waits = []));
    // Four boundaries (3, 6, 9 and 12 s) in real time.
    const played = await picturesUntil(page, T0 + 14_000, 20_000);
    const stamps = played.map((sample) => stampOf(sample, T0));
    const steps = stamps.slice(1).map((stamp, i) => stamp - stamps[i]!);
    const walls = played.slice(1).map((sample, i) => sample.at - played[i]!.at);
    const waits = await page.evaluate(() => (window as unknown as { __waits: { waits: number[] } }).__waits.waits);
    console.log(`across 4 boundaries: ${played.length} pictures, largest step ${Math.max(...steps)} ms of footage, ${Math.max(...walls)} ms on screen; waits ${JSON.stringify(waits.map(Math.round))}`);
    expect(steps.every((step) => step > 0), 'the picture only moves forward').toBe(true);
    expect(Math.max(...steps), 'no footage is skipped').toBeLessThanOrEqual(300);
    expect(Math.max(...walls), 'the picture never stands still').toBeLessThanOrEqual(500);
    expect(Math.max(0, ...waits), 'no wait longer than half a second').toBeLessThanOrEqual(500);
    // Footage and the wall clock move together: real time, give or take a busy machine.
    const footage = stamps.at(-1)! - stamps[0]!;
    const wall = played.at(-1)!.at - played[0]!.at;
    expect(footage / wall).toBeGreaterThan(0.8);
    expect(footage / wall).toBeLessThan(1.25);
    await page.close();
  });

  it('skips the gap between spans', async () => {
    const page = await openPlayback(first.end - 3_000);
    await picturesUntil(page, first.end - 3_000, 10_000);
    const played = await picturesUntil(page, second.start, 15_000);
    const stamps = played.map((sample) => stampOf(sample, T0));
    const lastBefore = played.findLast((sample) => stampOf(sample, T0) < first.end)!;
    const firstAfter = played.at(-1)!;
    console.log(`gap of ${GAP_MS} ms skipped in ${firstAfter.at - lastBefore.at} ms`);
    expect(stamps.filter((stamp) => stamp > first.end + 100 && stamp < second.start - 100)).toEqual([]);
    expect(firstAfter.at - lastBefore.at).toBeLessThanOrEqual(WITHIN_MS);
    await page.close();
  });

  it('shows the picture of a moment clicked on the timeline within a second', async () => {
    const page = await openPlayback(T0 + 2_000);
    await picturesUntil(page, T0 + 2_000, 10_000);
    await zoomTimelineIn(page);
    const figures: number[] = [];
    for (const wanted of [T0 + 24_000, T0 + 9_500, second.start + 8_000]) figures.push((await clickTimeline(page, wanted, 5_000)).ms);
    console.log(`timeline click → picture: ${figures.join(', ')} ms`);
    for (const figure of figures) expect(figure).toBeLessThanOrEqual(1_000);
    await page.close();
  });

  it('goes to the next and the previous motion event', async () => {
    const page = await openPlayback(T0 + 3_000);
    await picturesUntil(page, T0 + 3_000, 10_000);
    await page.click('button[aria-label="Next event"]');
    await picturesUntil(page, T0 + 20_000, 5_000);
    await page.click('button[aria-label="Next event"]');
    await picturesUntil(page, second.start + 4_000, 5_000);
    await page.click('button[aria-label="Previous event"]');
    await picturesUntil(page, T0 + 20_000, 5_000);
    await page.close();
  });

  it('plays at 8×', async () => {
    const page = await openPlayback(T0 + 1_000);
    await picturesUntil(page, T0 + 1_000, 10_000);
    await page.click('button[data-rate="8"]');
    const played = await picturesUntil(page, T0 + 25_000, 10_000);
    const footage = stampOf(played.at(-1)!, T0) - stampOf(played[0]!, T0);
    const wall = played.at(-1)!.at - played[0]!.at;
    console.log(`8×: ${footage} ms of footage in ${wall} ms`);
    expect(footage / wall).toBeGreaterThan(4);
    await page.close();
  });

  it('offers a minute around the picture as an MP4', async () => {
    const target = T0 + 15_000;
    const page = await openPlayback(target);
    await picturesUntil(page, target, 10_000);
    await page.click('button:has-text("Export…")');
    const href = (await page.getAttribute('[data-export-link]', 'href'))!;
    const url = new URL(href, session.server.url);
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    expect(url.pathname).toBe('/api/recordings/door/export.mp4');
    expect(to - from).toBe(60_000);
    expect(Math.abs((from + to) / 2 - target)).toBeLessThanOrEqual(WITHIN_MS);
    // While the panel is open, a drag on the timeline picks the stretch.
    const bar = page.locator('[data-timeline]');
    const box = (await bar.boundingBox())!;
    const [barFrom, barTo] = [Number(await bar.getAttribute('data-from')), Number(await bar.getAttribute('data-to'))];
    const timeAt = (x: number) => Math.round(barFrom + (x / box.width) * (barTo - barFrom));
    // Over 24 h, a tenth of the bar is well inside the 6 h an export may take.
    const [x1, x2] = [Math.round(box.width * 0.4), Math.round(box.width * 0.5)];
    await page.mouse.move(box.x + x2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + x1, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((from) => document.querySelector('[data-export-link]')?.getAttribute('href')?.includes(`from=${from}&`), timeAt(x1));
    expect(await page.getAttribute('[data-export-link]', 'href')).toBe(`/api/recordings/door/export.mp4?from=${timeAt(x1)}&to=${timeAt(x2)}`);
    await expect(page.locator('[data-timeline-selection]').count()).resolves.toBe(1);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    await page.close();
  });

  it('is linked from the camera page and from each event', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/cameras/door`);
    expect(await page.getAttribute('[data-playback-link]', 'href')).toBe('/cameras/door/playback');
    await page.goto(`${session.server.url}/events`);
    expect(await page.getAttribute(`[data-event-id="${eventIds[0]}"] [data-event-play]`, 'href')).toBe(`/cameras/door/playback?at=${T0 + 20_000 - 5_000}`);
    const unknown = await fetch(`${session.server.url}/cameras/nobody/playback`);
    expect(unknown.status).toBe(404);
    await page.close();
  });

  it('logs no errors in the page', () => {
    expect(session.consoleErrors.problems).toEqual([]);
  });
});
