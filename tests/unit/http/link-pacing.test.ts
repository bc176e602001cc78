import { describe, expect, it } from 'vitest';
import { inFlightAllowance, linkPace, linkWaitMs, MAX_POLL_MS } from '@/lib/http/link-pacing';
import type { SendQueue } from '@/lib/server/send-queue';

const queue = (overrides: Partial<SendQueue>): SendQueue => ({
  queuedBytes: 0,
  unsentBytes: 0,
  deliveryBytesPerSecond: 50_000,
  minRttMicros: 1_000,
  segmentBytes: 1448,
  lastAckMs: 0,
  lastSendMs: 0,
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

  it('holds the next frame while a slow link still carries the one before, looking again sooner as it drains', () => {
    // 50 KB/s at 1 ms: 50 bytes may stay ahead of the next frame. The next look comes after half
    // the time the rest should take: never later than it drains, if the rate holds.
    expect(linkWaitMs(queue({ queuedBytes: 50 }))).toBe(0);
    expect(linkWaitMs(queue({ queuedBytes: 100_000, unsentBytes: 40_000 }))).toBe(MAX_POLL_MS); // 2 s to go
    expect(linkWaitMs(queue({ queuedBytes: 30_000, unsentBytes: 10_000 }))).toBe(10); // 600 ms to go
    expect(linkWaitMs(queue({ queuedBytes: 250 }))).toBeCloseTo(2, 5); // 4 ms to go
  });

  it('waits without a delivery rate yet, and never spins', () => {
    expect(linkWaitMs(queue({ queuedBytes: 5_000, deliveryBytesPerSecond: 0 }))).toBe(10);
    expect(linkWaitMs(queue({ queuedBytes: 51 }))).toBe(1);
    // A viewer that stopped reading is looked at ten times a second, no more.
    expect(linkWaitMs(queue({ queuedBytes: 4_000_000, unsentBytes: 4_000_000 }))).toBe(MAX_POLL_MS);
  });

  it('does not wait for an acknowledgement the viewer delays when the last segment is long due', () => {
    // 2 KB and one segment more at 50 KB/s are due after 70 ms (with the round trip): nothing sent
    // and no ACK for 75 ms means they arrived.
    expect(linkWaitMs(queue({ queuedBytes: 2_000, lastAckMs: 75, lastSendMs: 75 }))).toBe(0);
    expect(linkWaitMs(queue({ queuedBytes: 2_000, lastAckMs: 60, lastSendMs: 75 }))).toBeGreaterThan(0);
    expect(linkWaitMs(queue({ queuedBytes: 2_000, lastAckMs: 75, lastSendMs: 30 }))).toBeGreaterThan(0);
    // More than two segments, or bytes not sent yet, are really still on their way.
    expect(linkWaitMs(queue({ queuedBytes: 4_000, lastAckMs: 500, lastSendMs: 500 }))).toBeGreaterThan(0);
    expect(linkWaitMs(queue({ queuedBytes: 2_000, unsentBytes: 500, lastAckMs: 500, lastSendMs: 500 }))).toBeGreaterThan(0);
  });

  it('pace: asks for the whole queue only when bytes are on their way', () => {
    let full = 0;
    const read = (queued: number) => ({ queuedBytes: () => queued, sendQueue: () => (full += 1, queue({ queuedBytes: queued })) });
    expect(linkPace(read(0), () => false).waitMs()).toBe(0);
    expect(full).toBe(0);
    expect(linkPace(read(40_000), () => false).waitMs()).toBe(10);
    expect(full).toBe(1);
  });

  it('pace: no wait once the viewer has left or the connection can no longer be read', () => {
    expect(linkPace({ queuedBytes: () => 40_000, sendQueue: () => queue({ queuedBytes: 40_000 }) }, () => true).waitMs()).toBe(0);
    expect(linkPace({ queuedBytes: () => undefined, sendQueue: () => undefined }, () => false).waitMs()).toBe(0);
    expect(linkPace({ queuedBytes: () => 40_000, sendQueue: () => undefined }, () => false).waitMs()).toBe(0);
  });
});
