import { describe, expect, it } from 'vitest';
import {
  CATCH_UP_AT_MOST_S,
  CATCH_UP_RATE,
  catchUpRate,
  KEEP_BEHIND_S,
  LIVE_BEHIND_THRESHOLD_S,
  LIVE_EDGE_MARGIN_S,
  liveEdgeFor,
  liveSeekTarget,
  toRanges,
  trimEnd,
} from '@/components/live/live-edge';

describe('live edge: where to seek', () => {
  it('leaves playback alone while it is within the threshold of the newest frame', () => {
    expect(liveSeekTarget(5.6, [{ start: 4, end: 6 }])).toBeUndefined();
    expect(liveSeekTarget(6 - LIVE_BEHIND_THRESHOLD_S, [{ start: 4, end: 6 }])).toBeUndefined();
    // Waiting at the very end for the next frame is live too.
    expect(liveSeekTarget(6, [{ start: 4, end: 6 }])).toBeUndefined();
  });

  it('jumps to just short of the newest frame when further behind', () => {
    expect(liveSeekTarget(5.4, [{ start: 4, end: 6 }])).toBeCloseTo(6 - LIVE_EDGE_MARGIN_S, 9);
    expect(liveSeekTarget(1, [{ start: 0, end: 9 }], 2, 0.25)).toBe(8.75);
  });

  it('jumps into the newest range from before it: a late viewer at 0, or playback left in front of a gap', () => {
    expect(liveSeekTarget(0, [{ start: 8, end: 10 }])).toBeCloseTo(10 - LIVE_EDGE_MARGIN_S, 9);
    expect(liveSeekTarget(6, [{ start: 4, end: 6 }, { start: 8, end: 8.05 }])).toBe(8);
  });

  it('has nowhere to go before anything is buffered', () => {
    expect(liveSeekTarget(0, [])).toBeUndefined();
  });
});

describe('live edge: how near, for the stream’s frame rate', () => {
  it('keeps the measured figures at 15 fps and above, and before the frame rate is known', () => {
    const measured = { threshold: LIVE_BEHIND_THRESHOLD_S, margin: LIVE_EDGE_MARGIN_S, jumpAfter: LIVE_BEHIND_THRESHOLD_S + CATCH_UP_AT_MOST_S };
    expect(liveEdgeFor(undefined)).toEqual(measured);
    expect(liveEdgeFor(1 / 15)).toEqual(measured);
    expect(liveEdgeFor(1 / 30)).toEqual(measured);
  });

  it('lands a jump at least 1.5 frames short of the end at a few frames a second, and allows 2 frames more before catching up', () => {
    const { threshold, margin, jumpAfter } = liveEdgeFor(0.2);
    expect(margin).toBeCloseTo(0.3, 9);
    expect(threshold).toBeCloseTo(0.7, 9);
    expect(jumpAfter).toBeCloseTo(0.7 + CATCH_UP_AT_MOST_S, 9);
    // 1.8 s behind at 5 fps is too far to catch up: a jump.
    expect(liveSeekTarget(8.2, [{ start: 0, end: 10 }], jumpAfter, margin)).toBeCloseTo(9.7, 9);
    expect(liveSeekTarget(9.2, [{ start: 0, end: 10 }], jumpAfter, margin)).toBeUndefined();
  });
});

describe('live edge: catching up without skipping frames', () => {
  const edge = liveEdgeFor(0.2); // threshold 0.7, margin 0.3

  it('plays faster once past the threshold', () => {
    expect(catchUpRate(0.8, 1, edge)).toBe(CATCH_UP_RATE);
    expect(catchUpRate(0.7, 1, edge)).toBe(1);
  });

  it('keeps the faster rate until halfway back to the margin, so that jitter does not keep switching it', () => {
    expect(catchUpRate(0.6, CATCH_UP_RATE, edge)).toBe(CATCH_UP_RATE);
    expect(catchUpRate(0.5, CATCH_UP_RATE, edge)).toBe(1);
    expect(catchUpRate(0.6, 1, edge)).toBe(1);
  });

  it('plays at 1 with nothing buffered', () => {
    expect(catchUpRate(Number.NaN, CATCH_UP_RATE, edge)).toBe(1);
  });
});

describe('live edge: what to remove behind playback', () => {
  const keyframes = [0, 4, 8, 12];

  it('ends a removal on the newest keyframe at least KEEP_BEHIND_S behind playback', () => {
    expect(trimEnd(11.5, [{ start: 0, end: 11.6 }], keyframes)).toBe(8);
    expect(trimEnd(7.2, [{ start: 0, end: 7.3 }], keyframes)).toBe(4);
    expect(trimEnd(4 + KEEP_BEHIND_S, [{ start: 0, end: 7.1 }], keyframes)).toBe(4);
  });

  it('removes nothing when no keyframe is that far behind, even with old frames in the buffer', () => {
    // Ending at 6.5 - 3 would take the rest of the GOP from 4, the frame on screen with it.
    expect(trimEnd(6.5, [{ start: 0, end: 6.6 }], keyframes)).toBeUndefined();
    expect(trimEnd(20, [{ start: 0, end: 20 }], [])).toBeUndefined();
  });

  it('removes nothing that is already gone', () => {
    expect(trimEnd(11.5, [{ start: 8, end: 11.6 }], keyframes)).toBeUndefined();
    expect(trimEnd(11.5, [], keyframes)).toBeUndefined();
  });

  it('may come up to the keyframe of the picture on screen when the buffer is full', () => {
    expect(trimEnd(9, [{ start: 0, end: 9.1 }], keyframes, 0)).toBe(8);
    expect(trimEnd(9, [{ start: 0, end: 9.1 }], [12, 0, 8, 4], 0)).toBe(8);
  });
});

describe('live edge: buffered ranges', () => {
  it('reads TimeRanges into plain ranges', () => {
    const starts = [0, 5];
    const ends = [2, 7.5];
    const buffered = { length: 2, start: (i: number) => starts[i]!, end: (i: number) => ends[i]! };
    expect(toRanges(buffered)).toEqual([
      { start: 0, end: 2 },
      { start: 5, end: 7.5 },
    ]);
  });
});
