import { describe, expect, it } from 'vitest';
import { KEEP_BEHIND_S, LIVE_BEHIND_THRESHOLD_S, LIVE_EDGE_MARGIN_S, liveSeekTarget, toRanges, trimEnd } from '@/components/live/live-edge';

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
