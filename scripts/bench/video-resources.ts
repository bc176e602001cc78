import { launchBrowser, type TestBrowser } from '../../tests/helpers/browser';
import { VideoViewer } from './video-viewer';

/**
 * What the video runs start that must be stopped whatever happens: Chromium (Debian's, with the
 * flags and throwaway profile of tests/helpers/browser.ts) and HTTP video viewers. Each run closes
 * its own in `finally`; the benchmark's clean-up (its deadline too) closes whatever is left.
 */
const browsers = new Set<TestBrowser>();
const viewers = new Set<VideoViewer>();

export async function openBrowser(): Promise<TestBrowser> {
  const browser = await launchBrowser({ timeoutMs: 15_000 });
  browsers.add(browser);
  return browser;
}

export async function closeBrowser(browser: TestBrowser): Promise<void> {
  browsers.delete(browser);
  await browser.close().catch(() => {});
}

export function openVideoViewers(url: string, count: number): VideoViewer[] {
  return Array.from({ length: count }, () => {
    const viewer = new VideoViewer(url);
    viewers.add(viewer);
    return viewer;
  });
}

export async function closeVideoViewers(toClose: Iterable<VideoViewer>): Promise<void> {
  await Promise.all(
    [...toClose].map(async (viewer) => {
      viewers.delete(viewer);
      await viewer.close();
    }),
  );
}

export async function stopVideoResources(): Promise<void> {
  await closeVideoViewers([...viewers]);
  await Promise.all([...browsers].map(closeBrowser));
}
