import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
// Root cannot use Chromium's sandbox; the rest keeps a headless run quiet and off the network.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type TestBrowser = {
  context: BrowserContext;
  close(): Promise<void>;
};

/** Debian's Chromium with a throwaway profile; nothing is downloaded. */
export async function launchBrowser(
  options: { viewport?: { width: number; height: number }; timeoutMs?: number } = {},
): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'camdash-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: 'dark',
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  // Playwright's 30 s default outlasts a whole test here; a page that hangs should fail fast.
  context.setDefaultTimeout(options.timeoutMs ?? 10_000);
  return {
    context,
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

export type ConsoleProblem = { page: string; kind: 'console.error' | 'pageerror'; text: string };

/** Collects console errors and uncaught page errors of every page in a context, present and future. */
export function collectConsoleErrors(context: BrowserContext): { problems: ConsoleProblem[] } {
  const problems: ConsoleProblem[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') {
        const where = message.location().url;
        problems.push({ page: page.url(), kind: 'console.error', text: where ? `${message.text()} (${where})` : message.text() });
      }
    });
    page.on('pageerror', (error) => problems.push({ page: page.url(), kind: 'pageerror', text: error.stack ?? error.message }));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return { problems };
}
