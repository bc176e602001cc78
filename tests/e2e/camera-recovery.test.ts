import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { JPEG_A, JPEG_B } from '../helpers/jpeg-fixtures';
import { startMjpegCamera } from '../helpers/mjpeg-camera-server';
import { freePort } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';
import { GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';

// A camera that is down when the page opens, and comes back while the page stays open: the tile
// must say why it is offline, and the picture must come back without a reload.
let session: E2eSession;
let camera: Awaited<ReturnType<typeof startMjpegCamera>> | undefined;
let cameraPort: number;

beforeAll(async () => {
  cameraPort = await freePort();
  const directory = mkdtempSync(path.join(tmpdir(), 'camdash-recovery-'));
  const camerasFile = path.join(directory, 'cameras.json');
  writeFileSync(
    camerasFile,
    JSON.stringify({
      cameras: [
        { id: 'gate', name: 'Gate', source: `http://127.0.0.1:${cameraPort}/video.mjpg` },
        { id: 'pattern', name: 'Pattern', source: 'test:testsrc2', fps: 10, width: 320 },
      ],
    }),
  );
  session = await openE2eSession({ camerasFile });
});

afterAll(async () => {
  await session?.close();
  await camera?.stop();
});

async function tileText(page: Page, id: string): Promise<string> {
  return page.locator(`a[data-camera="${id}"]`).innerText();
}

describe('a camera that is down, then comes back', () => {
  it('shows offline with the reason and the retry, then plays again without a reload', async () => {
    const page = await session.browser.context.newPage();
    const grid = new GridPage(page);
    await grid.open(session.server.url);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));

    await waitFor(async () => (await grid.statuses()).gate === 'offline', { timeoutMs: 15_000, message: 'the gate tile to go offline' });
    await waitFor(async () => /retrying in \d+ s/.test(await tileText(page, 'gate')), { timeoutMs: 5_000, message: 'a retry countdown' });
    const offline = await tileText(page, 'gate');
    expect(offline).toMatch(/refused/);
    expect(offline).not.toContain('http://');
    await waitForMovingPictures(() => grid.pictures(), ['pattern'], { frames: 3 });

    camera = await startMjpegCamera({ frames: [JPEG_A, JPEG_B], fps: 10, port: cameraPort });
    // Retries back off 1, 2, 4, 8 s: the camera is seen again within the next one.
    await waitForMovingPictures(() => grid.pictures(), ['gate'], { frames: 2, timeoutMs: 20_000 });
    await waitFor(async () => (await grid.statuses()).gate === 'live', { timeoutMs: 5_000, message: 'the gate badge to say live' });
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(camera.openStreams()).toBe(1);
    expect(session.consoleErrors.problems).toEqual([]);
    await page.close();
  });

  it('shows a camera that went down with its last picture and the reason, also to a page opened afterwards', async () => {
    await camera!.stop();
    camera = undefined;
    const page = await session.browser.context.newPage();
    const grid = new GridPage(page);
    await grid.open(session.server.url);
    await waitFor(async () => (await grid.statuses()).gate === 'offline', { timeoutMs: 15_000, message: 'the gate tile to go offline' });
    // The server handed the new page the camera's last frame as a still: the tile is not black.
    const gatePicture = async () => (await grid.pictures()).find((picture) => picture.id === 'gate');
    await waitFor(async () => (await gatePicture())?.hash != null, { timeoutMs: 10_000, message: 'the gate tile to show its last picture' });
    expect((await gatePicture())?.width).toBeGreaterThan(0);
    expect((await grid.statuses()).gate).toBe('offline');
    expect(await tileText(page, 'gate')).toMatch(/Offline/);
    await page.close();
  });
});
