import { describe, expect, it } from 'vitest';
import type { Frame } from '@/lib/capture/frame';
import { FrameFanIn } from '@/lib/capture/frame-fan-in';
import { LatestFrameSlot } from '@/lib/capture/latest-frame-slot';
import type { Subscription } from '@/lib/capture/registry';

const subscription = (cameraId: string): Subscription => ({ cameraId, slot: new LatestFrameSlot(), delivered: () => {}, release: () => {} });
const frame = (cameraId: string, seq: number): Frame => ({ cameraId, seq, capturedAt: seq, jpeg: Buffer.from([seq]) });

describe('frame fan-in', () => {
  it('takes turns between ready cameras, so a busy camera cannot starve the others', async () => {
    const [a, b, c] = [subscription('a'), subscription('b'), subscription('c')];
    const fanIn = new FrameFanIn([a, b, c]);
    const order: string[] = [];
    for (let round = 1; round <= 3; round += 1) {
      a.slot.offer(frame('a', round));
      b.slot.offer(frame('b', round));
      c.slot.offer(frame('c', round));
      for (let i = 0; i < 3; i += 1) order.push((await fanIn.next())!.cameraId);
    }
    expect(order.join('')).toMatch(/^(abc|bca|cab)+$/);
  });

  it('gives each camera\'s newest frame to a slow reader, holding one frame per camera', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const fanIn = new FrameFanIn([a, b]);
    for (let seq = 1; seq <= 20; seq += 1) a.slot.offer(frame('a', seq));
    b.slot.offer(frame('b', 1));
    const taken = [await fanIn.next(), await fanIn.next()].map((next) => `${next!.cameraId}${next!.frame.seq}`);
    expect(taken.sort()).toEqual(['a20', 'b1']);
  });

  it('waits for the first camera to have a frame', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const fanIn = new FrameFanIn([a, b]);
    const pending = fanIn.next();
    b.slot.offer(frame('b', 7));
    expect((await pending)?.frame.seq).toBe(7);
  });

  it('ends as soon as one camera closes (removed or changed), so that the browser reconnects with the cameras there are now', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const fanIn = new FrameFanIn([a, b]);
    const pending = fanIn.next();
    a.slot.close();
    b.slot.offer(frame('b', 1));
    expect(await pending).toBeNull();
  });
});

describe('frame fan-in, paced by the connection', () => {
  it('takes the newest frames once the link is free', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const fanIn = new FrameFanIn([a, b]);
    a.slot.offer(frame('a', 1));
    let busy = true;
    let release: () => void = () => {};
    const next = fanIn.next({ waitMs: () => (busy ? 10 : 0), pause: () => new Promise<void>((resolve) => (release = resolve)) });
    a.slot.offer(frame('a', 2));
    busy = false;
    release();
    expect((await next)?.frame.seq).toBe(2);
  });

  it('ends when a camera goes away while the link is busy', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const fanIn = new FrameFanIn([a, b]);
    a.slot.offer(frame('a', 1));
    expect(await fanIn.next({ waitMs: () => 10, pause: async () => b.slot.close() })).toBeNull();
  });
});
