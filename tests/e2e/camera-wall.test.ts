import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { waitFor } from '../helpers/wait-for';
import { CameraPage, GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';
import { setTabVisibility } from './tab-visibility';

// A wall of 36 cameras over plain HTTP/1.1: with one connection per tile Chromium would stop at 6
// and every other request of the page would hang behind them.
const COUNT = 36;
const ids = Array.from({ length: COUNT }, (_, index) => `wall-${String(index + 1).padStart(2, '0')}`);
const ROUND_TRIPS = 10;

let session: E2eSession;

type ApiCamera = { id: string; viewers: number };
const viewers = async () =>
  Object.fromEntries(
    ((await (await fetch(`${session.server.url}/api/cameras`)).json()) as { cameras: ApiCamera[] }).cameras.map((camera) => [camera.id, camera.viewers]),
  );

/** Waits until the server counts `count` viewers on every camera; names the cameras that differ. */
async function waitForViewers(count: number, timeoutMs = 15_000): Promise<void> {
  let last: Record<string, number> = {};
  await waitFor(
    async () => {
      last = await viewers();
      return ids.every((id) => last[id] === count);
    },
    { timeoutMs, intervalMs: 200, message: `${count} viewer(s) on each of the ${COUNT} cameras` },
  ).catch((error: Error) => {
    const off = ids.filter((id) => last[id] !== count).map((id) => `${id}=${last[id]}`);
    throw new Error(`${error.message}; cameras with another count: ${off.join(' ')}`);
  });
}

beforeAll(async () => {
  const camerasFile = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-wall-')), 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras: ids.map((id) => ({ id, name: id, source: 'test:testsrc2', fps: 5, width: 160 })) }));
  session = await openE2eSession({ camerasFile, graceMs: 1_000 }, { viewport: { width: 1600, height: 1400 }, timeoutMs: 20_000 });
});

afterAll(async () => {
  await session?.close();
});

describe(`a wall of ${COUNT} cameras in one tab`, () => {
  it('plays every tile, keeps the page responsive, and stops the cameras of tiles scrolled away', async () => {
    const page = await session.browser.context.newPage();
    // Closed even when the test fails, or its grid connection would double the next tests' viewers.
    onTestFinished(() => page.close());
    const grid = new GridPage(page);
    const started = Date.now();
    await grid.open(session.server.url);
    expect(await grid.tileIds()).toEqual(ids);

    await waitForMovingPictures(() => grid.pictures(), ids, { frames: 2, timeoutMs: 30_000 });
    console.log(`wall: all ${COUNT} tiles moving ${((Date.now() - started) / 1000).toFixed(1)} s after opening the page`);

    // Other requests of the page still get a connection while every tile plays.
    const health = await page.evaluate(async () => {
      const response = await fetch('/api/health', { signal: AbortSignal.timeout(5_000) });
      return response.status;
    });
    expect(health).toBe(200);
    expect(Object.values(await viewers())).toEqual(ids.map(() => 1));

    // Only the top rows stay on screen: the server stops sending (and capturing) the others.
    await page.setViewportSize({ width: 1600, height: 400 });
    const last = ids.at(-1)!;
    // The grid swaps its connection for one without the hidden tiles: while the new one is on its
    // way the old one's end leaves the first tile's camera for a moment without a viewer.
    const first = ids[0]!;
    await waitFor(
      async () => {
        const now = await viewers();
        return now[last] === 0 && now[first] === 1;
      },
      { timeoutMs: 10_000, message: `${last} to lose its viewer while ${first} keeps one` },
    );

    // Scrolled back into view, it plays again.
    await page.locator(`a[data-camera="${last}"]`).scrollIntoViewIfNeeded();
    await waitForMovingPictures(() => grid.pictures(), [last], { frames: 2, timeoutMs: 10_000 });
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it(`keeps all ${COUNT} tiles live after ${ROUND_TRIPS} trips to a camera page and back, one viewer per camera`, { timeout: 150_000 }, async () => {
    const page = await session.browser.context.newPage();
    onTestFinished(() => page.close());
    const grid = new GridPage(page);
    const cameraPage = new CameraPage(page);
    await grid.open(session.server.url);
    await waitForMovingPictures(() => grid.pictures(), ids, { frames: 2, timeoutMs: 30_000 });

    for (let trip = 1; trip <= ROUND_TRIPS; trip++) {
      // Tiles from every row, so that both ends of the grid's one connection get cut and reopened.
      const id = ids[(trip * 7) % COUNT]!;
      await grid.tile(id).click();
      await page.waitForURL(`${session.server.url}/cameras/${id}`);
      await expect.poll(() => cameraPage.badge.getAttribute('data-status'), { timeout: 15_000 }).toBe('live');
      if (trip % 2 === 0) await cameraPage.backLink.click();
      else await page.goBack();
      await page.waitForURL(`${session.server.url}/`);
      await grid.tiles.first().waitFor();
    }

    await waitForMovingPictures(() => grid.pictures(), ids, { frames: 2, timeoutMs: 30_000 });
    // Every camera page's stream and every earlier grid connection was closed when left.
    await waitForViewers(1);
    expect(session.consoleErrors.problems).toEqual([]);
  });

  it('stops every camera while the tab is hidden, keeps the last pictures, and plays again when it is shown', { timeout: 120_000 }, async () => {
    const page = await session.browser.context.newPage();
    onTestFinished(() => page.close());
    const grid = new GridPage(page);
    await grid.open(session.server.url);
    await waitForMovingPictures(() => grid.pictures(), ids, { frames: 2, timeoutMs: 30_000 });
    await waitForViewers(1);

    await setTabVisibility(page, 'hidden');
    await waitForViewers(0);
    // Nothing arrives any more, yet no tile went black: each keeps its last frame.
    const kept = await grid.pictures();
    expect(kept.filter((picture) => picture.hash === null).map((picture) => picture.id)).toEqual([]);

    await setTabVisibility(page, 'visible');
    // The kept frame is one of the distinct frames seen, so three means at least two new ones.
    await waitForMovingPictures(() => grid.pictures(), ids, { frames: 3, timeoutMs: 30_000 });
    await waitForViewers(1);
    expect(session.consoleErrors.problems).toEqual([]);
  });
});
