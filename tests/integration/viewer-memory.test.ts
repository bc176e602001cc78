import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { mjpegResponse } from '@/lib/http/mjpeg-response';
import { serveHandler } from '../helpers/route-server';
import { processAlive, waitFor } from '../helpers/wait-for';

// Memory per viewer, measured where it is deterministic: the heap after a forced collection, with
// the real registry, real ffmpeg and real HTTP connections. (RSS of a whole server moves by tens of
// MB with the allocator's mood; the end-to-end churn test checks processes and viewers instead.)
const VIEWERS = 1000;
const BURST = 50;
const gc = (globalThis as { gc?: () => void }).gc;

let registry: CaptureRegistry;
let server: Awaited<ReturnType<typeof serveHandler>>;
const pids = new Set<number>();

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  registry = new CaptureRegistry({
    spawn: (command, args) => {
      const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      if (child.pid) pids.add(child.pid);
      return child as CaptureProcess;
    },
    ffmpegPath: ffmpeg.path,
    timing: { ...DEFAULT_TIMING, graceMs: 300 },
    log: () => {},
  });
  registry.setCameras(['a', 'b'].map((id) => cameraSchema.parse({ id, name: id, source: 'test', fps: 10, width: 320 })));
  server = await serveHandler(async (request) => {
    const id = new URL(request.url).pathname.slice(1);
    const subscription = registry.subscribe(id);
    return subscription ? mjpegResponse(subscription, request.signal) : new Response('unknown', { status: 404 });
  });
});

afterAll(async () => {
  await server?.close();
  await registry?.shutdown();
});

async function churn(count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let start = 0; start < count && Date.now() < deadline; start += BURST) {
    await Promise.all(
      Array.from({ length: BURST }, async (_, offset) => {
        const index = start + offset;
        const abort = new AbortController();
        try {
          const response = await fetch(`${server.url}/${index % 2 ? 'a' : 'b'}`, { signal: abort.signal });
          // A third leave before the first frame, the rest after some picture.
          if (index % 3 !== 0) await response.body!.getReader().read();
        } finally {
          abort.abort();
        }
      }),
    );
  }
}

async function settledHeapMb(): Promise<number> {
  await waitFor(() => registry.runningPids().length === 0 && ['a', 'b'].every((id) => registry.snapshot(id)?.viewers === 0), {
    timeoutMs: 10_000,
    message: 'no viewer and no ffmpeg left',
  });
  for (let round = 0; round < 3; round += 1) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed / 1048576;
}

describe(`${VIEWERS} viewers connecting and disconnecting`, () => {
  it('leave no viewer, no ffmpeg and no heap behind', async () => {
    expect(gc, 'run with --expose-gc (vitest.config.mts sets it)').toBeTypeOf('function');
    await churn(200); // warm-up: JIT, connection pools
    const before = await settledHeapMb();
    await churn(VIEWERS);
    const after = await settledHeapMb();
    console.log(`viewer memory: heap after GC ${before.toFixed(1)} → ${after.toFixed(1)} MB over ${VIEWERS} viewers`);
    // One frame kept per viewer would be ~15 MB; a slot, stream and closures each, a few MB.
    expect(after - before).toBeLessThan(3);
    await waitFor(() => [...pids].every((pid) => !processAlive(pid)), { timeoutMs: 5_000, message: 'every ffmpeg to exit' });
  });
});
