import { describe, expect, it } from 'vitest';
import { inFlightAllowance, linkGate, linkWaitMs, MAX_POLL_MS } from '@/lib/http/link-pacing';
import type { SendQueue } from '@/lib/server/send-queue';

const queue = (overrides: Partial<SendQueue>): SendQueue => ({
  queuedBytes: 0,
  unsentBytes: 0,
  deliveryBytesPerSecond: 50_000,
  minRttMicros: 1_000,
  segmentBytes: 1448,
  lastAckMs: 0,
  ...overrides,
});

describe('pacing a stream by its connection', () => {
  it('lets a frame go at once when nothing is on its way', () => {
    expect(linkWaitMs(queue({}))).toBe(0);
  });

  it('allows one round trip of bytes in flight: a fast, distant viewer keeps several frames on their way', () => {
    // 10 MB/s at 80 ms: 800 KB in flight, more than ten 60 KB frames.
    const distant = queue({ queuedBytes: 600_000, deliveryBytesPerSecond: 10_000_000, minRttMicros: 80_000 });
    expect(inFlightAllowance(distant)).toBe(800_000);
    expect(linkWaitMs(distant)).toBe(0);
  });

  it('holds the next frame while a slow link still carries the one before, looking again as it drains', () => {
    // 50 KB/s: 30 KB still to go is 600 ms; looked at again within MAX_POLL_MS, sooner near the end.
    expect(linkWaitMs(queue({ queuedBytes: 30_000, unsentBytes: 10_000 }))).toBe(MAX_POLL_MS);
    expect(linkWaitMs(queue({ queuedBytes: 150, lastAckMs: 0 }))).toBeCloseTo(2, 5);
  });

  it('waits without a delivery rate yet, and never spins', () => {
    expect(linkWaitMs(queue({ queuedBytes: 5_000, deliveryBytesPerSecond: 0 }))).toBe(MAX_POLL_MS);
    expect(linkWaitMs(queue({ queuedBytes: 1, minRttMicros: 0 }))).toBe(1);
  });

  it('does not wait for an acknowledgement the viewer delays when the last segment is long due', () => {
    // 2 KB at 50 KB/s is due after 41 ms (with the round trip): no ACK for 45 ms means it arrived.
    expect(linkWaitMs(queue({ queuedBytes: 2_000, lastAckMs: 45 }))).toBe(0);
    expect(linkWaitMs(queue({ queuedBytes: 2_000, lastAckMs: 20 }))).toBeGreaterThan(0);
    // More than two segments, or bytes not sent yet, are really still on their way.
    expect(linkWaitMs(queue({ queuedBytes: 4_000, lastAckMs: 500 }))).toBeGreaterThan(0);
    expect(linkWaitMs(queue({ queuedBytes: 2_000, unsentBytes: 500, lastAckMs: 500 }))).toBeGreaterThan(0);
  });

  it('gate: waits until the queue has drained, sleeping as the queue says', async () => {
    const readings = [queue({ queuedBytes: 40_000 }), queue({ queuedBytes: 20_000 }), queue({ queuedBytes: 0 })];
    const sleeps: number[] = [];
    const gate = linkGate(() => readings.shift(), () => false, async (ms) => void sleeps.push(ms));
    await gate();
    expect(sleeps).toEqual([MAX_POLL_MS, MAX_POLL_MS]);
    expect(readings).toHaveLength(0);
  });

  it('gate: opens when the viewer has left or the connection can no longer be read', async () => {
    let left = false;
    const sleeps: number[] = [];
    const busy = linkGate(() => queue({ queuedBytes: 40_000 }), () => left, async (ms) => {
      sleeps.push(ms);
      left = true;
    });
    await busy();
    expect(sleeps).toHaveLength(1);
    await linkGate(() => undefined, () => false, async () => expect.unreachable())();
  });
});
