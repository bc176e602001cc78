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

  it('follows a camera whose entry changed to its new capture, on the same connection, and lets go of the old one', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const released: string[] = [];
    const oldA = { ...a, release: () => released.push('old a') };
    const newA = subscription('a');
    const fanIn = new FrameFanIn([oldA, b], (cameraId) => (cameraId === 'a' ? newA : undefined));
    const pending = fanIn.next();
    oldA.slot.close();
    newA.slot.offer(frame('a', 2));
    const next = await pending;
    expect(next).toMatchObject({ cameraId: 'a', frame: { seq: 2 }, subscription: newA });
    expect(released).toEqual(['old a']);
    b.slot.offer(frame('b', 1));
    expect((await fanIn.next())?.cameraId).toBe('b');
  });

  it('drops a camera that is gone, goes on with the others, and ends when none is left', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const fanIn = new FrameFanIn([a, b], () => undefined);
    a.slot.offer(frame('a', 1));
    a.slot.close();
    b.slot.offer(frame('b', 1));
    expect((await fanIn.next())?.cameraId).toBe('b');
    const pending = fanIn.next();
    b.slot.close();
    expect(await pending).toBeNull();
  });

  it('releases the holds it has now, renewed ones included, once', async () => {
    const released: string[] = [];
    const held = (cameraId: string, name: string): Subscription => ({ ...subscription(cameraId), release: () => released.push(name) });
    const [oldA, newA, b] = [held('a', 'old a'), held('a', 'new a'), held('b', 'b')];
    const fanIn = new FrameFanIn([oldA, b], () => newA);
    oldA.slot.close();
    b.slot.offer(frame('b', 1));
    await fanIn.next();
    fanIn.release();
    fanIn.release();
    expect(released.sort()).toEqual(['b', 'new a', 'old a']);
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

  it('notices a camera going away while the link is busy: drops it, and ends with the last one', async () => {
    const [a, b] = [subscription('a'), subscription('b')];
    const fanIn = new FrameFanIn([a, b]);
    a.slot.offer(frame('a', 1));
    let busy = true;
    const closeB = async () => {
      b.slot.close();
      busy = false;
    };
    expect((await fanIn.next({ waitMs: () => (busy ? 10 : 0), pause: closeB }))?.cameraId).toBe('a');
    a.slot.offer(frame('a', 2));
    expect(await fanIn.next({ waitMs: () => 10, pause: async () => a.slot.close() })).toBeNull();
  });
});
