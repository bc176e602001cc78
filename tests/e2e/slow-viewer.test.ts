import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Viewer } from '../../scripts/bench/viewer';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';

// A phone on poor Wi-Fi must see what is happening now. Without a limit on what the kernel queues,
// its frames fall behind by about a second every second (18 s after 20 s, measured); camdash keeps
// the backlog to about one frame.
const FRAMES = 12;

let server: NextServer;
const viewers: Viewer[] = [];

beforeAll(async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'camdash-slow-'));
  const camerasFile = path.join(directory, 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras: [{ id: 'yard', name: 'Yard', source: 'test:testsrc2', fps: 15, width: 1280 }] }));
  server = await startNextServer({ camerasFile });
});

afterAll(async () => {
  await Promise.all(viewers.map((viewer) => viewer.close()));
  await server?.stop();
});

const behind = (arrivals: Viewer['arrivals']) => arrivals.map((frame) => frame.arrivedAt - frame.capturedAt);

describe('a viewer on a slow link', () => {
  it('gets recent frames, not a growing backlog, while other viewers stay live', async () => {
    const stream = `${server.url}/api/cameras/yard/stream`;
    const normal = new Viewer(stream);
    viewers.push(normal);
    await waitFor(() => normal.arrivals.length > 5, { timeoutMs: 30_000, message: 'the camera to run' });
    const frameBytes = (await (await fetch(`${server.url}/api/cameras/yard/snapshot`)).arrayBuffer()).byteLength;

    // A link that carries one frame a second.
    const slow = new Viewer(stream, { linkBytesPerSecond: frameBytes });
    viewers.push(slow);
    const start = Date.now();
    await waitFor(() => slow.arrivals.length >= FRAMES, { timeoutMs: 40_000, intervalMs: 250, message: `${FRAMES} frames over the slow link` });

    // About a second per frame: a backlog would have the later frames 6 s and more behind. Expected:
    // a frame's own second on the link and about a frame of queue ahead of it; 5 s leaves room for a
    // busy machine.
    const later = behind(slow.arrivals.slice(FRAMES / 2, FRAMES));
    expect(Math.max(...later)).toBeLessThan(5_000);
    expect(Math.max(...behind(normal.arrivals.filter((frame) => frame.arrivedAt >= start)))).toBeLessThan(1_000);
    expect(slow.invalid + normal.invalid).toBe(0);
  });
});
