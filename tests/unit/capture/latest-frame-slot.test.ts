import { describe, expect, it } from 'vitest';
import type { Frame } from '@/lib/capture/frame';
import { LatestFrameSlot } from '@/lib/capture/latest-frame-slot';

const frame = (seq: number): Frame => ({ cameraId: 'a', seq, capturedAt: seq, jpeg: Buffer.from([seq]) });

describe('a viewer\'s one-frame slot', () => {
  it('gives the frame that is newest once the viewer\'s link is free, not the one there when it began to wait', async () => {
    const slot = new LatestFrameSlot();
    slot.offer(frame(1));
    let release!: () => void;
    const linkFree = new Promise<void>((resolve) => (release = resolve));
    const next = slot.next(() => linkFree);
    slot.offer(frame(2));
    slot.offer(frame(3));
    release();
    expect((await next)?.seq).toBe(3);
    expect(slot.dropped).toBe(2);
  });

  it('asks the link only when there is a frame to send', async () => {
    const slot = new LatestFrameSlot();
    let asked = 0;
    const next = slot.next(async () => void (asked += 1));
    await Promise.resolve();
    expect(asked).toBe(0);
    slot.offer(frame(1));
    expect((await next)?.seq).toBe(1);
    expect(asked).toBe(1);
  });

  it('ends with null when it closes while the link is busy', async () => {
    const slot = new LatestFrameSlot();
    slot.offer(frame(1));
    const next = slot.next(async () => slot.close());
    expect(await next).toBeNull();
  });
});
