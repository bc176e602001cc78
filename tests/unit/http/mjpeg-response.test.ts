import { describe, expect, it } from 'vitest';
import type { Frame } from '@/lib/capture/frame';
import { LatestFrameSlot } from '@/lib/capture/latest-frame-slot';
import type { Subscription } from '@/lib/capture/registry';
import { mjpegResponse } from '@/lib/http/mjpeg-response';
import { MULTIPART_CONTENT_TYPE } from '@/lib/mjpeg/multipart';
import { readParts } from '../../helpers/multipart-client';
import { JPEG_A, JPEG_B } from '../../helpers/jpeg-fixtures';

function subscription(): Subscription & { releases: number } {
  const slot = new LatestFrameSlot();
  const result = {
    cameraId: 'cam',
    slot,
    releases: 0,
    delivered: () => {},
    release: () => {
      result.releases += 1;
      slot.close();
    },
  };
  return result;
}

const frame = (seq: number, jpeg: Buffer): Frame => ({ cameraId: 'cam', seq, capturedAt: 1_700_000_000_000 + seq, jpeg });

describe('MJPEG response', () => {
  it('is an uncached multipart/x-mixed-replace stream of the frames offered', async () => {
    const sub = subscription();
    const response = mjpegResponse(sub, new AbortController().signal);
    expect(response.headers.get('content-type')).toBe(MULTIPART_CONTENT_TYPE);
    expect(response.headers.get('cache-control')).toContain('no-store');
    sub.slot.offer(frame(1, JPEG_A));
    const reading = readParts(response, 2, 5_000);
    await new Promise((resolve) => setImmediate(resolve));
    sub.slot.offer(frame(2, JPEG_B));
    const parts = await reading;
    expect(parts.map((part) => Buffer.from(part.body).equals(part === parts[0] ? JPEG_A : JPEG_B))).toEqual([true, true]);
    expect(parts[1]?.headers['x-frame-timestamp']).toBe('1700000000002');
    expect(sub.releases).toBe(1);
  });

  it('takes a frame only when the reader asks, so a slow reader gets the newest', async () => {
    const sub = subscription();
    const reader = mjpegResponse(sub, new AbortController().signal).body!.getReader();
    await reader.read(); // the opening boundary
    for (let seq = 1; seq <= 50; seq += 1) sub.slot.offer(frame(seq, seq === 50 ? JPEG_B : JPEG_A));
    const { value } = await reader.read();
    expect(Buffer.from(value!).includes(JPEG_B)).toBe(true);
    expect(sub.slot.dropped).toBe(49);
    await reader.cancel();
  });

  it('releases the subscription once, whether cancel, abort or both end it', async () => {
    const sub = subscription();
    const abort = new AbortController();
    const reader = mjpegResponse(sub, abort.signal).body!.getReader();
    await reader.read();
    abort.abort();
    await reader.cancel();
    expect(sub.releases).toBe(1);
  });

  it('ends the response cleanly when the camera goes away', async () => {
    const sub = subscription();
    const reader = mjpegResponse(sub, new AbortController().signal).body!.getReader();
    await reader.read();
    sub.slot.close();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(sub.releases).toBe(1);
  });
});
