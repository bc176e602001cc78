import { describe, expect, it } from 'vitest';
import {
  adjacentEvent,
  aheadMs,
  clockOfTime,
  gapJump,
  isBuffered,
  landingAt,
  lastRecordedMinute,
  needsNewBase,
  nextFetchAt,
  nextSpanStart,
  timeOfClock,
  timestampOffset,
  trimEnd,
} from '@/components/playback/buffer-plan';
import { defaultExportRange, exportProblem } from '@/components/playback/export-range';
import { readPlacement } from '@/components/playback/media-headers';
import { parseOpenAt, playbackPath } from '@/components/playback/open-at';

const T = Date.UTC(2026, 11, 1, 12);
const spans = [
  { start: T, end: T + 60_000 },
  { start: T + 120_000, end: T + 180_000 },
];

describe('what to fetch', () => {
  it('keeps 30 s ahead at 1× and proportionally more when faster', () => {
    expect(aheadMs(1)).toBe(30_000);
    expect(aheadMs(8)).toBe(240_000);
    expect(nextFetchAt(T + 40_000, T + 15_000, T + 40_000, 1)).toBe(T + 40_000);
    expect(nextFetchAt(T + 50_000, T + 15_000, T + 50_000, 1)).toBeUndefined();
    expect(nextFetchAt(T + 50_000, T + 15_000, T + 50_000, 8)).toBe(T + 50_000);
    expect(nextFetchAt(undefined, T, T, 1)).toBeUndefined();
  });

  it('goes on at the next span after a gap, and nowhere after the last', () => {
    expect(nextSpanStart(spans, T + 60_001)).toBe(T + 120_000);
    expect(nextSpanStart(spans, T + 120_000)).toBe(T + 120_000);
    expect(nextSpanStart(spans, T + 180_000)).toBeUndefined();
  });

  it('lands a seek into a gap on the next span, and one into footage where it was', () => {
    expect(landingAt(spans, T + 90_000)).toBe(T + 120_000);
    expect(landingAt(spans, T + 30_000)).toBe(T + 30_000);
    expect(landingAt(spans, T + 200_000)).toBe(T + 200_000);
    expect(landingAt([], T)).toBe(T);
  });
});

describe('the buffer', () => {
  it('trims what is more than 60 s behind, and nothing else', () => {
    expect(trimEnd(100, [{ start: 10, end: 130 }])).toBe(40);
    expect(trimEnd(100, [{ start: 50, end: 130 }])).toBeUndefined();
    expect(trimEnd(100, [])).toBeUndefined();
  });

  it('reuses the buffer for a seek only with footage after the target', () => {
    const buffered = [{ start: 10, end: 40 }];
    expect(isBuffered(buffered, 20)).toBe(true);
    expect(isBuffered(buffered, 39.9)).toBe(false);
    expect(isBuffered(buffered, 5)).toBe(false);
  });

  it('jumps a hole at the end of a range, or from no range to the next', () => {
    const buffered = [
      { start: 0, end: 10 },
      { start: 10.04, end: 20 },
      { start: 50, end: 60 },
    ];
    expect(gapJump(5, buffered)).toBeUndefined();
    expect(gapJump(9.95, buffered)).toBe(10.04);
    expect(gapJump(19.9, buffered)).toBe(50);
    expect(gapJump(30, buffered)).toBe(50);
    expect(gapJump(59.95, buffered)).toBeUndefined();
  });

  it('places a response on the clock through the base', () => {
    const base = T - 3_600_000;
    // The first fragment decodes at 1234.5 s and was recorded at T + 2 s.
    const offset = timestampOffset(T + 2_000, base, 1234.5);
    expect(clockOfTime(base, 1234.5 + offset)).toBe(T + 2_000);
    expect(timeOfClock(base, T)).toBe(3600);
  });

  it('wants a new base before it, or a month after', () => {
    expect(needsNewBase(undefined, T)).toBe(true);
    expect(needsNewBase(T, T - 1)).toBe(true);
    expect(needsNewBase(T, T + 3_600_000)).toBe(false);
    expect(needsNewBase(T, T + 31 * 24 * 3_600_000)).toBe(true);
  });
});

describe('events and openings', () => {
  const events = [{ startedAt: T + 10_000 }, { startedAt: T + 50_000 }, { startedAt: T + 90_000 }];

  it('finds the previous and next event, previous skipping one just begun', () => {
    expect(adjacentEvent(events, T + 60_000, 'previous')).toEqual({ startedAt: T + 50_000 });
    expect(adjacentEvent(events, T + 51_000, 'previous')).toEqual({ startedAt: T + 10_000 });
    expect(adjacentEvent(events, T + 50_000, 'next')).toEqual({ startedAt: T + 90_000 });
    expect(adjacentEvent(events, T + 95_000, 'next')).toBeUndefined();
    expect(adjacentEvent(events, T, 'previous')).toBeUndefined();
  });

  it('opens at the last recorded minute, or a shorter last span at its start', () => {
    expect(lastRecordedMinute(spans)).toBe(T + 120_000);
    expect(lastRecordedMinute([{ start: T, end: T + 20_000 }])).toBe(T);
    expect(lastRecordedMinute([])).toBeUndefined();
  });

  it('reads ?at= and names what is wrong with it', () => {
    expect(parseOpenAt(String(T))).toEqual({ at: T, problem: undefined });
    expect(parseOpenAt(undefined)).toEqual({ at: undefined, problem: undefined });
    expect(parseOpenAt('noon').problem).toMatch(/^at: must be a time in epoch milliseconds \(got "noon"\)/);
    expect(parseOpenAt(['1', '2']).problem).toMatch(/^at: is given more than once/);
    expect(playbackPath('door', T - 5_000.4)).toBe(`/cameras/door/playback?at=${T - 5_000}`);
  });

  it('exports a minute around the picture by default, and at most 6 hours', () => {
    expect(defaultExportRange(T + 400)).toEqual({ from: T - 30_000, to: T + 30_000 });
    expect(exportProblem({ from: T, to: T + 1 })).toBeUndefined();
    expect(exportProblem({ from: T, to: T })).toBe('End must be after the start');
    expect(exportProblem({ from: T })).toBe('End: pick a time');
    expect(exportProblem({ from: T, to: T + 7 * 3_600_000 })).toBe('An export can be at most 6 hours long');
  });
});

describe("the media response's headers", () => {
  it('give its place on the clock', () => {
    const headers = new Headers({ 'X-Clock-Start': String(T), 'X-Media-Start': '12.5', 'X-Clock-End': String(T + 20_000), 'X-Next': String(T + 20_000), 'X-Codec': 'avc1.64001f' });
    expect(readPlacement(headers)).toEqual({ clockStart: T, mediaStart: 12.5, clockEnd: T + 20_000, next: T + 20_000, codec: 'avc1.64001f' });
    headers.delete('X-Next');
    expect(readPlacement(headers).next).toBeUndefined();
  });

  it('name the header that is missing or wrong', () => {
    expect(() => readPlacement(new Headers({ 'X-Codec': 'avc1' }))).toThrow(/X-Clock-Start header is missing/);
    expect(() => readPlacement(new Headers({ 'X-Codec': 'avc1', 'X-Clock-Start': 'soon', 'X-Media-Start': '0', 'X-Clock-End': '1' }))).toThrow(/X-Clock-Start header is not a number \("soon"\)/);
    expect(() => readPlacement(new Headers({ 'X-Clock-Start': '1', 'X-Media-Start': '0', 'X-Clock-End': '1' }))).toThrow(/X-Codec/);
  });
});
