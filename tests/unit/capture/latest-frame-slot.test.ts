import { describe, expect, it } from 'vitest';
import type { Frame } from '@/lib/capture/frame';
import { LatestFrameSlot, type Pace } from '@/lib/capture/latest-frame-slot';

const frame = (seq: number): Frame => ({ cameraId: 'a', seq, capturedAt: seq, jpeg: Buffer.from([seq]) });

/** A link that is busy until `free` is called; counts how often it was asked. */
function busyLink(): Pace & { free(): void; asked: number } {
  let busy = true;
  let release: () => void = () => {};
  return {
    asked: 0,
    waitMs() {
      this.asked += 1;
      return busy ? 10 : 0;
    },
    pause: () => new Promise<void>((resolve) => (release = resolve)),
    free() {
      busy = false;
      release();
    },
  };
}

describe('a viewer\'s one-frame slot', () => {
  it('gives the frame that is newest once the viewer\'s link is free, not the one there when it began to wait', async () => {
    const slot = new LatestFrameSlot();
    slot.offer(frame(1));
    const link = busyLink();
    const next = slot.next(link);
    slot.offer(frame(2));
    slot.offer(frame(3));
    link.free();
    expect((await next)?.seq).toBe(3);
    expect(slot.dropped).toBe(2);
  });

  it('asks the link only when there is a frame to send', async () => {
    const slot = new LatestFrameSlot();
    const link = busyLink();
    link.free();
    const next = slot.next(link);
    await Promise.resolve();
    expect(link.asked).toBe(0);
    slot.offer(frame(1));
    expect((await next)?.seq).toBe(1);
    expect(link.asked).toBe(1);
  });

  it('ends with null when it closes while the link is busy', async () => {
    const slot = new LatestFrameSlot();
    slot.offer(frame(1));
    const next = slot.next({ waitMs: () => 10, pause: async () => slot.close() });
    expect(await next).toBeNull();
  });
});
