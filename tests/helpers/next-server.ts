import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY_TIMEOUT_MS = 30_000;

export type NextServer = {
  url: string;
  /** The pid of the `next start` child. */
  pid: number;
  /** Everything the server printed so far, stdout and stderr interleaved. */
  log(): string;
  /** Pids from the server's `ffmpeg started (pid N)` lines. */
  ffmpegPids(): number[];
  exited(): boolean;
  /** SIGTERM to this child only; resolves with how long it took to exit (or rejects after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
};

export type NextServerOptions = { camerasFile: string; graceMs?: number; env?: Record<string, string> };

/** The production server as `next start` runs it; the tests never build, they need `.next/` ready. */
export async function startNextServer({ camerasFile, graceMs = 1_000, env = {} }: NextServerOptions): Promise<NextServer> {
  if (!existsSync(path.join(PROJECT_ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('No production build in .next/: run `npx next build` before the end-to-end tests.');
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(PROJECT_ROOT, 'node_modules/.bin/next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      // vitest sets NODE_ENV=test; next start would then warn and run with non-production settings.
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      CAMERAS_FILE: camerasFile,
      CAMDASH_GRACE_MS: String(graceMs),
      // Logging in is tested on its own (tests/e2e/auth.test.ts); elsewhere it would only be in the way.
      CAMDASH_AUTH: 'off',
      CAMDASH_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'camdash-data-')),
      CAMDASH_RECORDINGS_DIR: mkdtempSync(path.join(tmpdir(), 'camdash-recordings-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let hasExited = false;
  void exit.then(() => (hasExited = true));

  const server: NextServer = {
    url,
    pid: child.pid!,
    log: () => output,
    ffmpegPids: () => [...output.matchAll(/ffmpeg started \(pid (\d+)\)/g)].map((match) => Number(match[1])),
    exited: () => hasExited,
    stop: (timeoutMs = 10_000) => stopChild(child, exit, timeoutMs, () => output),
  };

  try {
    await waitFor(
      async () => {
        if (hasExited) throw new Error(`next start exited before it was ready:\n${output}`);
        return (await fetch(`${url}/api/health`).catch(() => undefined))?.ok;
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200, message: `${url}/api/health` },
    );
  } catch (error) {
    await server.stop().catch(() => {});
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  return server;
}

async function stopChild(
  child: ChildProcess,
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
  output: () => string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Never leave a server behind, but still report that it ignored SIGTERM.
      child.kill('SIGKILL');
      reject(new Error(`next start did not exit within ${timeoutMs} ms of SIGTERM:\n${output()}`));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([exit, timeout]);
    return { ...result, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** A port nobody listens on right now (the kernel picks it; the race until next binds it is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
