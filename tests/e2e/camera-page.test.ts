import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { setTabVisibility } from './tab-visibility';
import { isCompleteJpeg } from '../helpers/multipart-client';
import { waitFor } from '../helpers/wait-for';

const camerasFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/e2e-cameras.json');
const order = (JSON.parse(readFileSync(camerasFile, 'utf8')) as { cameras: { id: string }[] }).cameras.map((camera) => camera.id);

let session: E2eSession;

beforeAll(async () => {
  session = await openE2eSession({ camerasFile });
});

afterAll(async () => {
  await session?.close();
});

describe('the camera page', () => {
  it('goes to the next and previous camera with the arrow keys, wrapping around', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/cameras/${order[0]}`);
    await page.waitForSelector(`main[data-camera-page="${order[0]}"]`);
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`main[data-camera-page="${order[1]}"]`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`main[data-camera-page="${order[0]}"]`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`main[data-camera-page="${order.at(-1)}"]`);
    await page.close();
  });

  it('shows the live fps and frame age, and downloads the current frame as a JPEG named after camera and time', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/cameras/${order[0]}`);
    const overlay = page.locator('[data-live-overlay]');
    // The fixture's cameras run at 10 fps.
    await waitFor(async () => {
      const text = (await overlay.count()) ? await overlay.innerText() : '';
      const match = /^([\d.]+) fps · (\d+) ms$/.exec(text);
      return match && Number(match[1]) >= 8 && Number(match[2]) < 1_000;
    }, { timeoutMs: 10_000, message: 'the overlay to show about 10 fps and a fresh frame' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Snapshot' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${order[0]}-\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d\\.jpg$`));
    const saved = readFileSync((await download.path())!);
    expect(isCompleteJpeg(saved)).toBe(true);
    expect(session.consoleErrors.problems).toEqual([]);
    await page.close();
  });

  it("asks for the camera's status less often while its picture plays, little while the tab is hidden, and at once when it is back", async () => {
    const page = await session.browser.context.newPage();
    const asks: number[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/cameras') asks.push(Date.now());
    });
    await page.goto(`${session.server.url}/cameras/${order[0]}`);
    await page.locator('[data-live-overlay]').waitFor({ timeout: 10_000 });
    // Every 2 s before this page's picture was live, every 5 s while it is: 2 in 10.5 s, 5 before.
    const from = Date.now();
    await waitFor(() => Date.now() - from >= 10_500, { timeoutMs: 12_000, message: '10.5 s of watching' });
    const whileLive = asks.filter((at) => at >= from).length;
    expect(whileLive).toBeGreaterThanOrEqual(1);
    expect(whileLive).toBeLessThanOrEqual(3);

    await setTabVisibility(page, 'hidden');
    const hiddenFrom = Date.now();
    await waitFor(() => Date.now() - hiddenFrom >= 6_000, { timeoutMs: 8_000, message: '6 s hidden' });
    // An ask already under way when the tab hid may still land; none after it.
    expect(asks.filter((at) => at >= hiddenFrom + 1_000).length).toBe(0);
    const shownAt = Date.now();
    await setTabVisibility(page, 'visible');
    await waitFor(() => asks.some((at) => at >= shownAt), { timeoutMs: 2_000, message: 'an ask as soon as the tab is shown again' });
    await page.close();
  });
});
