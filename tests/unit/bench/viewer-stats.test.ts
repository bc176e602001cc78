import { describe, expect, it } from 'vitest';
import { percentile, summarize, waitsBeforeFirstByte } from '@/scripts/bench/viewer-stats';

describe('benchmark viewer summary', () => {
  const frames = [100, 200, 300, 700, 800].map((arrivedAt) => ({ arrivedAt, capturedAt: arrivedAt - 20 }));

  it('counts the frames of the window, the first frame, the largest gap (edges included) and the lag', () => {
    expect(summarize(frames, 50, { from: 150, to: 1150 })).toEqual({
      frames: 4,
      fps: 4,
      firstFrameMs: 50,
      largestGapMs: 400,
      behindMsMedian: 20,
      behindMsMax: 20,
    });
    expect(summarize(frames, 50, { from: 0, to: 2000 }).largestGapMs).toBe(1200); // nothing after 800
  });

  it('has no first frame for a viewer that got none', () => {
    expect(summarize([], 0, { from: 0, to: 1000 })).toMatchObject({ frames: 0, fps: 0, firstFrameMs: undefined, largestGapMs: 1000 });
  });

  it('takes percentiles of unsorted values', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 1)).toBe(5);
  });

  it('measures, for frames of the window that know it, how long they waited before their first byte came', () => {
    const arrivals = [
      { arrivedAt: 1000, capturedAt: 0, firstByteAt: 40 },
      { arrivedAt: 2100, capturedAt: 1000, firstByteAt: 1070 },
      { arrivedAt: 2500, capturedAt: 2400 }, // read through Node's HTTP client: no first-byte time
      { arrivedAt: 9000, capturedAt: 8000, firstByteAt: 8010 },
    ];
    expect(waitsBeforeFirstByte(arrivals, { from: 500, to: 5000 })).toEqual([40, 70]);
  });
});
