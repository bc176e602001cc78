import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the motion worker thread, from the production build or from source.
 *
 * Under `next build` / `next start`, Turbopack bundles a worker whose entry is written exactly as
 * `new Worker(new URL('./x.ts', import.meta.url))`: it compiles the TypeScript entry into a chunk
 * of its own and rewrites the URL to it (Turbopack's worker_threads support, Next 16.2; relative
 * URLs resolve from this file since vercel/next.js#93432). `process.env.TURBOPACK` is replaced by
 * `true` at build time in Turbopack's output, and is not set anywhere else.
 *
 * From source (vitest, the jiti-run benchmark) there is no bundler, and Node 20 cannot run
 * TypeScript: the thread loads the entry through jiti, a dev dependency that compiles it on the fly.
 */
export function startMotionThread(): Worker {
  if (process.env.TURBOPACK) return new Worker(new URL('./motion-worker-entry.ts', import.meta.url));
  const here = fileURLToPath(import.meta.url);
  return new Worker(FROM_SOURCE, {
    eval: true,
    workerData: { jiti: createRequire(here).resolve('jiti'), entry: path.join(path.dirname(here), 'motion-worker-entry.ts') },
  });
}

/** Throwing from a later turn makes an import failure the thread's 'error' event, as in production. */
const FROM_SOURCE = `
const { workerData } = require('node:worker_threads');
const { createJiti } = require(workerData.jiti);
createJiti(workerData.entry).import(workerData.entry).catch((error) => setImmediate(() => { throw error; }));
`;
