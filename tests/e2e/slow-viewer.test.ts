import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jitiCommand } from '../../scripts/bench/own-network';
import { waitsBeforeFirstByte } from '../../scripts/bench/viewer-stats';
import type { SlowLinkResult } from '../helpers/slow-link-scenario';

// A phone on poor Wi-Fi must see what is happening now. A link that carries one frame a second
// takes a second for each frame; what the viewer must not get is older frames queued ahead of the
// newest: in the kernel's send buffer (without a limit, a second more behind every second, 18 s
// after 20 s), or in the link's own queue (without pacing by the connection's queue, 2–5 s behind
// over the first ten frames, measured). camdash writes the next frame only when the link has
// taken the one before it.
const INTERVAL_MS = 1000 / 15;
// Room for a busy machine; the queue it guards against adds half a second and more per frame.
const SLACK_MS = 300;

function runScenario(): Promise<SlowLinkResult> {
  // Shaping loopback needs a network namespace of its own, so that the machine's is never touched.
  const [node, ...args] = jitiCommand(path.join(__dirname, '../helpers/slow-link-scenario.ts'));
  const child = spawn('unshare', ['-n', '--', node!, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`unshare could not start (root and util-linux are needed): ${error.message}`)));
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as SlowLinkResult);
      else reject(new Error(`slow-link scenario exited ${code} (it needs root, for unshare -n and tc): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

describe('a viewer on a slow link', () => {
  it('gets each frame a frame interval and its own transfer time after it was captured, while other viewers stay live', async () => {
    const result = await runScenario();
    // From its capture to its first byte at the viewer: the age of the newest frame when the link
    // was free, and anything queued ahead of it. The rest of the delay is the frame's own transfer.
    const waits = waitsBeforeFirstByte(result.slow, { from: -Infinity, to: Infinity });
    expect(result.slow.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...waits)).toBeLessThan(INTERVAL_MS + SLACK_MS);
    // And the transfer is the link's: about a second for a frame on a link that carries one a second.
    expect(Math.max(...result.slow.map((frame) => frame.arrivedAt - frame.capturedAt))).toBeLessThan(1_000 + INTERVAL_MS + 2 * SLACK_MS);
    const normalMeanwhile = result.normal.filter((frame) => frame.arrivedAt >= result.slowStartedAt);
    expect(normalMeanwhile.length).toBeGreaterThan(50);
    expect(Math.max(...normalMeanwhile.map((frame) => frame.arrivedAt - frame.capturedAt))).toBeLessThan(1_000);
    expect(result.invalid).toBe(0);
  }, 120_000);
});
