import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { waitFor } from '../helpers/wait-for';
import { GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';

// A wall of 36 cameras over plain HTTP/1.1: with one connection per tile Chromium would stop at 6
// and every other request of the page would hang behind them.
const COUNT = 36;
const ids = Array.from({ length: COUNT }, (_, index) => `wall-${String(index + 1).padStart(2, '0')}`);

let session: E2eSession;

type ApiCamera = { id: string; viewers: number };
const viewers = async () =>
  Object.fromEntries(
    ((await (await fetch(`${session.server.url}/api/cameras`)).json()) as { cameras: ApiCamera[] }).cameras.map((camera) => [camera.id, camera.viewers]),
  );

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
    await waitFor(async () => (await viewers())[last] === 0, { timeoutMs: 10_000, message: `${last} to lose its viewer` });
    expect((await viewers())[ids[0]!]).toBe(1);

    // Scrolled back into view, it plays again.
    await page.locator(`a[data-camera="${last}"]`).scrollIntoViewIfNeeded();
    await waitForMovingPictures(() => grid.pictures(), [last], { frames: 2, timeoutMs: 10_000 });
    expect(session.consoleErrors.problems).toEqual([]);
    await page.close();
  });
});
