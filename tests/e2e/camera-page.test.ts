import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchBrowser, type TestBrowser } from '../helpers/browser';
import { isCompleteJpeg } from '../helpers/multipart-client';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';

const camerasFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/e2e-cameras.json');
const order = (JSON.parse(readFileSync(camerasFile, 'utf8')) as { cameras: { id: string }[] }).cameras.map((camera) => camera.id);

let server: NextServer;
let browser: TestBrowser;
let consoleErrors: ReturnType<typeof collectConsoleErrors>;

beforeAll(async () => {
  server = await startNextServer({ camerasFile });
  browser = await launchBrowser();
  consoleErrors = collectConsoleErrors(browser.context);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the camera page', () => {
  it('goes to the next and previous camera with the arrow keys, wrapping around', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/cameras/${order[0]}`);
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
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/cameras/${order[0]}`);
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
    expect(consoleErrors.problems).toEqual([]);
    await page.close();
  });
});
