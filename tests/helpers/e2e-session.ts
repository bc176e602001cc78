import { collectConsoleErrors, launchBrowser, type TestBrowser } from './browser';
import { startNextServer, type NextServer, type NextServerOptions } from './next-server';

export type E2eSession = {
  server: NextServer;
  browser: TestBrowser;
  consoleErrors: ReturnType<typeof collectConsoleErrors>;
  close(): Promise<void>;
};

/** The production server with a cameras file, and a Chromium whose console errors are collected. */
export async function openE2eSession(
  serverOptions: NextServerOptions,
  browserOptions: Parameters<typeof launchBrowser>[0] = {},
): Promise<E2eSession> {
  const server = await startNextServer(serverOptions);
  let browser: TestBrowser;
  try {
    browser = await launchBrowser(browserOptions);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    browser,
    consoleErrors: collectConsoleErrors(browser.context),
    close: async () => {
      try {
        await browser.close();
      } finally {
        await server.stop();
      }
    },
  };
}
