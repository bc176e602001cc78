import { describe, expect, it } from 'vitest';
import { fragmentsWithin } from '@/lib/recording/export-plan';
import { MAX_MEDIA_MS, pickFragments } from '@/lib/recording/media-range';
import { mergeSpans } from '@/lib/recording/span-merge';
import type { StoredFragment } from '@/lib/recording/types';

// A minute of 10 fps with a keyframe every 2 s, timescale 1000 (a decode time is ms since the start), from decode time 5000.
const T0 = Date.UTC(2026, 11, 1, 12);
const segment = { startedAt: T0, timescale: 1_000, mediaStart: 5_000, open: false };
const fragments: StoredFragment[] = Array.from({ length: 600 }, (_, n) => ({ offset: 800 + n * 1_000, size: 1_000, decodeTime: 5_000 + n * 100, duration: 100, keyframe: n % 20 === 0 }));

describe('the fragments a playback request gets', () => {
  it('starts at the keyframe at or before the moment, and ends before a keyframe once it holds MAX_MEDIA_MS', () => {
    const picked = pickFragments(segment, fragments, T0 + 4_500)!;
    expect([picked.first, picked.clockStart, picked.mediaStart]).toEqual([40, T0 + 4_000, 9]);
    expect(picked.end - picked.first).toBe(MAX_MEDIA_MS / 100);
    expect([picked.clockEnd, picked.reachesFileEnd]).toEqual([T0 + 4_000 + MAX_MEDIA_MS, false]);
    expect(fragments[picked.end]!.keyframe).toBe(true);
  });

  it('starts at the first keyframe for a moment before the segment, and reaches its end', () => {
    expect(pickFragments(segment, fragments, T0 - 3_000)).toMatchObject({ first: 0, clockStart: T0 });
    expect(pickFragments(segment, fragments, T0 + 50_000)).toMatchObject({ first: 500, end: 600, clockEnd: T0 + 60_000, reachesFileEnd: true });
    expect(pickFragments(segment, fragments, T0 + 60_000)).toBeUndefined();
    expect(pickFragments(segment, [], T0)).toBeUndefined();
  });

  it('leaves the last GOP of a file still written for the next request, unless it is the only one', () => {
    const open = { ...segment, open: true };
    const growing = fragments.slice(0, 110); // 5 whole GOPs and half of the 6th
    expect(pickFragments(open, growing, T0 + 8_000)).toMatchObject({ first: 80, end: 100, clockEnd: T0 + 10_000, reachesFileEnd: false });
    expect(pickFragments(open, growing, T0 + 10_500)).toMatchObject({ first: 100, end: 110, reachesFileEnd: true });
  });
});

describe('the fragments an export copies', () => {
  it('runs from the keyframe at or before from to the fragment that covers to', () => {
    const within = fragmentsWithin(segment, fragments, T0 + 4_500, T0 + 7_050);
    expect([within[0]!.decodeTime, within.at(-1)!.decodeTime]).toEqual([9_000, 12_000]);
    expect(fragmentsWithin(segment, fragments, T0 + 60_000, T0 + 70_000)).toEqual([]);
    expect(fragmentsWithin(segment, fragments, T0 - 10_000, T0)).toEqual([]);
  });
});

describe('spans', () => {
  it('joins segments less than SPAN_JOIN_GAP_MS apart, and clips them to the range', () => {
    const segments = [[0, 10_000], [10_000, 20_000], [20_499, 30_000], [30_500, 40_000], [50_000, 60_000]] as const;
    expect(mergeSpans(segments, 5_000, 55_000)).toEqual([
      { start: 5_000, end: 30_000 },
      { start: 30_500, end: 40_000 },
      { start: 50_000, end: 55_000 },
    ]);
    expect(mergeSpans(segments, 40_000, 50_000)).toEqual([]);
  });
});
