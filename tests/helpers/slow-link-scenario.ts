/**
 * A phone on a slow link, run in a network namespace of its own (tests/e2e/slow-viewer.test.ts
 * starts it with `unshare -n`): camdash serves a 1280×720@15 camera to a viewer at full speed and
 * to one behind a link that carries one frame a second (shaped loopback, a Wi-Fi access point's
 * queue of 100 packets). Prints one JSON line of what both received.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setUpLoopback, shapeLoopbackPort } from '../../scripts/bench/own-network';
import { Viewer } from '../../scripts/bench/viewer';
import { startNextServer } from './next-server';
import { waitFor } from './wait-for';

export type SlowLinkResult = {
  frameBytes: number;
  slow: Viewer['arrivals'];
  normal: Viewer['arrivals'];
  slowStartedAt: number;
  invalid: number;
};

const FRAMES = Number(process.env.SLOW_LINK_FRAMES ?? 10);
const LINK_PORT = 45_000;

async function main(): Promise<void> {
  setUpLoopback();
  const camerasFile = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-slow-')), 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras: [{ id: 'yard', name: 'Yard', source: 'test:testsrc2', fps: 15, width: 1280 }] }));
  const server = await startNextServer({ camerasFile });
  const viewers: Viewer[] = [];
  let unshape: (() => void) | undefined;
  try {
    const stream = `${server.url}/api/cameras/yard/stream`;
    const normal = new Viewer(stream);
    viewers.push(normal);
    await waitFor(() => normal.arrivals.length > 5, { timeoutMs: 30_000, message: 'the camera to run' });
    const frameBytes = (await (await fetch(`${server.url}/api/cameras/yard/snapshot`)).arrayBuffer()).byteLength;
    unshape = shapeLoopbackPort(LINK_PORT, frameBytes);
    const slowStartedAt = Date.now();
    const slow = new Viewer(stream, { localPort: LINK_PORT });
    viewers.push(slow);
    await waitFor(() => slow.arrivals.length >= FRAMES, { timeoutMs: 60_000, intervalMs: 100, message: `${FRAMES} frames over the slow link` });
    const result: SlowLinkResult = { frameBytes, slow: slow.arrivals, normal: normal.arrivals, slowStartedAt, invalid: slow.invalid + normal.invalid };
    console.log(JSON.stringify(result));
  } finally {
    await Promise.all(viewers.map((viewer) => viewer.close()));
    unshape?.();
    await server.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
