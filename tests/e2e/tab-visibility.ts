import type { Page } from 'playwright-core';

/**
 * Makes the page believe its tab was hidden (or shown again), as when a person switches tabs.
 *
 * Simulated, because headless Chromium has no real way: every tab stays `visible` whatever is tried
 * (tried with Chromium 156: `page.bringToFront()` on a second page, CDP `Target.activateTarget`,
 * `Browser.setWindowBounds` to `minimized` with Playwright's backgrounding switches removed,
 * `Emulation.setFocusEmulationEnabled(false)`, `Page.setWebLifecycleState`; see also
 * microsoft/playwright#2286 and #12099). So this overrides `document.visibilityState` and
 * `document.hidden` on the document and fires `visibilitychange`, which is all the app listens to.
 */
export async function setTabVisibility(page: Page, visibility: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((visibility) => {
    if (visibility === 'hidden') {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      // The overrides sit on the document itself; deleting them uncovers Document.prototype's getters.
      delete (document as { visibilityState?: unknown }).visibilityState;
      delete (document as { hidden?: unknown }).hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, visibility);
}
