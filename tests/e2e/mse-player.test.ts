import type { JSHandle, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATCH_UP_AT_MOST_S, LIVE_BEHIND_THRESHOLD_S } from '../../components/live/live-edge';
import type { MsePlayer, MsePlayerState } from '../../components/live/mse-player';
import { collectConsoleErrors, launchBrowser, type ConsoleProblem, type TestBrowser } from '../helpers/browser';
import { startMseFixture, type MseFixture } from '../helpers/mse-fixture-server';
import { waitFor } from '../helpers/wait-for';

// What the fixture page (tests/helpers/mse-fixture-server.ts) keeps on window.mse.
type MsePage = {
  MsePlayer: typeof MsePlayer;
  video: HTMLVideoElement;
  player: MsePlayer | undefined;
  states: { state: MsePlayerState; reason?: string; at: number }[];
  firstPictureMs: number | undefined;
  error: string | undefined;
  play(): Promise<void>;
};

const FPS = 15;

describe('MsePlayer in Chromium, on a live fMP4 feed from ffmpeg', () => {
  let browser: TestBrowser | undefined;
  let fixture: MseFixture | undefined;
  let problems: ConsoleProblem[] = [];

  beforeAll(async () => {
    browser = await launchBrowser({ viewport: { width: 800, height: 500 } });
    problems = collectConsoleErrors(browser.context).problems;
    // After the browser, so that the feed's 20 s are not spent on its start.
    fixture = await startMseFixture({ seconds: 20 });
  });

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  async function openPage(): Promise<{ page: Page; mse: JSHandle<MsePage> }> {
    const page = await browser!.context.newPage();
    await page.goto(fixture!.url);
    await page.waitForFunction(() => 'mse' in window);
    return { page, mse: await page.evaluateHandle(() => (window as unknown as { mse: MsePage }).mse) };
  }

  it('can play H.264 through MSE, and says it cannot play HEVC', async () => {
    const { page, mse } = await openPage();
    const verdicts = await mse.evaluate(({ MsePlayer }, feedCodec) => ({
      avc: MsePlayer.canPlay('avc1.42C01E'),
      hevc: MsePlayer.canPlay('hvc1.1.6.L93.B0'),
      feed: MsePlayer.canPlay(feedCodec),
    }), fixture!.codec);
    expect(fixture!.codec).toBe('avc1.42C016');
    expect(verdicts).toEqual({ avc: true, hevc: false, feed: true });
    await page.close();
  });

  it('shows a viewer joining mid-GOP a moving picture at once, and keeps it live', async () => {
    // Two seconds into a four-second GOP: the backlog since the keyframe is what the viewer decodes first.
    await waitFor(() => fixture!.backlog >= 2 * FPS, { timeoutMs: 10_000, message: 'the feed to be 2 s into its GOP' });
    const backlogAtJoin = fixture!.backlog;
    const { page, mse } = await openPage();
    await mse.evaluate((m) => void m.play());
    const firstPictureMs = await (await page.waitForFunction((m) => m.firstPictureMs ?? 0, mse, { timeout: 5_000 })).jsonValue();
    console.log(`late viewer (${backlogAtJoin} fragments of backlog): first picture ${firstPictureMs.toFixed(0)} ms after the fetch started`);
    expect(firstPictureMs).toBeLessThanOrEqual(1_000);
    await page.waitForFunction((m) => m.player?.state === 'playing', mse);
    expect(await mse.evaluate((m) => m.video.videoWidth)).toBe(640);

    // A two-second window, sampled in the page: frames shown, and how far behind the newest frame.
    const sampled = await mse.evaluate(async (m) => {
      const player = m.player!;
      const before = player.framesShown;
      const behind: number[] = [];
      const end = performance.now() + 2_000;
      while (performance.now() < end) {
        behind.push(player.behindLiveSeconds);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { frames: player.framesShown - before, behind };
    });
    const sorted = [...sampled.behind].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`${sampled.frames} frames shown in 2 s; behind live: median ${median.toFixed(3)} s, max ${sorted.at(-1)!.toFixed(3)} s`);
    expect(sampled.frames).toBeGreaterThanOrEqual(20);
    expect(Math.max(...sampled.behind)).toBeLessThan(1);

    // Drawn into a canvas twice, 500 ms apart: a real picture (many colours), and one that moves.
    const pixels = await mse.evaluate(async ({ video }) => {
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      const grab = () => {
        context.drawImage(video, 0, 0);
        return context.getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const first = grab();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = grab();
      let changed = 0;
      const colours = new Set<number>();
      for (let i = 0; i < first.length; i += 4) {
        const difference = Math.abs(first[i]! - second[i]!) + Math.abs(first[i + 1]! - second[i + 1]!) + Math.abs(first[i + 2]! - second[i + 2]!);
        if (difference > 48) changed += 1;
        colours.add((first[i]! << 16) | (first[i + 1]! << 8) | first[i + 2]!);
      }
      return { changed: changed / (first.length / 4), colours: colours.size };
    });
    console.log(`pixels: ${pixels.colours} colours, ${(pixels.changed * 100).toFixed(1)} % changed in 500 ms`);
    expect(pixels.colours).toBeGreaterThan(100);
    expect(pixels.changed).toBeGreaterThan(0.005);

    // What has been played goes, from a keyframe back (as a removal must end on one), and the picture carries on.
    const trimmed = await (
      await page.waitForFunction(
        ({ video }) => {
          const buffered = video.buffered;
          return buffered.length > 0 && buffered.start(0) > 0 ? { start: buffered.start(0), end: buffered.end(buffered.length - 1) } : undefined;
        },
        mse,
        { timeout: 10_000 },
      )
    ).jsonValue();
    if (!trimmed) throw new Error('waitForFunction resolved without a value');
    console.log(`trimmed: buffered ${trimmed.start.toFixed(3)}–${trimmed.end.toFixed(3)} s`);
    expect(trimmed.start / 4).toBeCloseTo(Math.round(trimmed.start / 4), 2);
    expect(trimmed.end - trimmed.start).toBeLessThan(8);
    const wanted = (await mse.evaluate((m) => m.player!.framesShown)) + FPS;
    await page.waitForFunction(([m, frames]) => m.player!.framesShown >= frames, [mse, wanted] as const, { timeout: 3_000 });
    expect(await mse.evaluate((m) => [m.player!.state, m.player!.behindLiveSeconds < 1, m.states.length])).toEqual(['playing', true, 2]);
    expect(await mse.evaluate((m) => m.error)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reports a stall when fragments stop, with its reason, and plays again when they return', async () => {
    const { page, mse } = await openPage();
    await mse.evaluate((m) => void m.play());
    await page.waitForFunction((m) => m.player?.state === 'playing', mse, { timeout: 5_000 });

    fixture!.pauseRelay();
    const pausedAt = Date.now();
    await page.waitForFunction((m) => m.player?.state === 'stalled', mse, { timeout: 5_000 });
    const stalledAfterMs = Date.now() - pausedAt;
    const stall = await mse.evaluate((m) => {
      const last = m.states.at(-1)!;
      return { reason: last.reason, sinceLastFrameMs: last.at - m.player!.lastFrameAt! };
    });
    console.log(`stalled ${stalledAfterMs} ms after the feed stopped, ${stall.sinceLastFrameMs.toFixed(0)} ms after the last frame: "${stall.reason}"`);
    expect(stall.reason).toBe('no new frame for 3 s');
    expect(stall.sinceLastFrameMs).toBeGreaterThanOrEqual(3_000);
    expect(stall.sinceLastFrameMs).toBeLessThan(3_500);
    expect(stalledAfterMs).toBeLessThan(4_000);

    const resumedAt = await mse.evaluate(() => performance.now());
    fixture!.resumeRelay();
    await page.waitForFunction((m) => m.player?.state === 'playing', mse, { timeout: 5_000 });
    const playingAfterMs = (await mse.evaluate((m) => m.states.at(-1)!.at)) - resumedAt;
    const wanted = (await mse.evaluate((m) => m.player!.framesShown)) + FPS / 2;
    await page.waitForFunction(([m, frames]) => m.player!.framesShown >= frames, [mse, wanted] as const, { timeout: 5_000 });
    const behind = await mse.evaluate((m) => m.player!.behindLiveSeconds);
    // The feed resumes at its newest keyframe, up to a GOP (2 s) old: further behind than
    // LIVE_BEHIND_THRESHOLD_S + CATCH_UP_AT_MOST_S (1.5 s) the player has jumped, closer it plays
    // 1.25× as fast until it is live again, which takes up to ~5 s.
    expect(behind).toBeLessThan(LIVE_BEHIND_THRESHOLD_S + CATCH_UP_AT_MOST_S);
    const caughtUpAt = Date.now();
    await page.waitForFunction((m) => m.player!.behindLiveSeconds < 0.5, mse, { timeout: 8_000, polling: 50 });
    console.log(`playing again ${playingAfterMs.toFixed(0)} ms after the feed resumed, then ${behind.toFixed(3)} s behind live, under 0.5 s ${Date.now() - caughtUpAt} ms later`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
