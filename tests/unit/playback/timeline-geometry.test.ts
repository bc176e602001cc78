import './berlin-time';
import { describe, expect, it } from 'vitest';
import { dayAfter, dayOf, fromLocalInput, toLocalInput } from '@/components/playback/local-day';
import { followView, layoutBars, ticks, timeAtX, viewAt, xOfTime, ZOOM_LEVELS_MS } from '@/components/playback/timeline-geometry';

const HOUR = 3_600_000;
const MINUTE = 60_000;
// 2026-12-01 00:00 in Berlin (UTC+1).
const DEC_1 = Date.UTC(2026, 10, 30, 23);
// Labels are in the locale of the machine: the expected ones are written by the same rule.
const label = (hours: number, minutes = 0) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(DEC_1 + hours * HOUR + minutes * MINUTE);

describe('local days', () => {
  it('runs midnight to midnight in local time', () => {
    expect(dayOf(DEC_1 + 13 * HOUR)).toEqual({ start: DEC_1, end: DEC_1 + 24 * HOUR });
    expect(dayAfter(dayOf(DEC_1), -1)).toEqual({ start: DEC_1 - 24 * HOUR, end: DEC_1 });
  });

  it('is 23 hours long on the day the clocks go forward', () => {
    // 2026-03-29 in Berlin: 02:00 becomes 03:00.
    const day = dayOf(Date.UTC(2026, 2, 29, 12));
    expect(day.end - day.start).toBe(23 * HOUR);
    expect(dayAfter(day, 1).start).toBe(day.end);
  });

  it('writes and reads datetime-local values with seconds', () => {
    const at = DEC_1 + 13 * HOUR + 5 * MINUTE + 9_000;
    expect(toLocalInput(at)).toBe('2026-12-01T13:05:09');
    expect(fromLocalInput('2026-12-01T13:05:09')).toBe(at);
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('yesterday')).toBeUndefined();
  });
});

describe('the timeline view', () => {
  const day = dayOf(DEC_1);

  it('shows the whole day at the widest and 5 minutes at the narrowest, around the centre', () => {
    expect(viewAt(day, 0, DEC_1 + 3 * HOUR)).toEqual({ from: day.start, to: day.end });
    const narrow = viewAt(day, ZOOM_LEVELS_MS.length - 1, DEC_1 + 12 * HOUR);
    expect(narrow).toEqual({ from: DEC_1 + 12 * HOUR - 2.5 * MINUTE, to: DEC_1 + 12 * HOUR + 2.5 * MINUTE });
  });

  it('stays inside the day near its edges, and clamps levels out of range', () => {
    expect(viewAt(day, 4, DEC_1 + 10 * MINUTE)).toEqual({ from: DEC_1, to: DEC_1 + HOUR });
    expect(viewAt(day, 4, day.end)).toEqual({ from: day.end - HOUR, to: day.end });
    expect(viewAt(day, 99, DEC_1 + HOUR).to - viewAt(day, 99, DEC_1 + HOUR).from).toBe(5 * MINUTE);
    expect(viewAt(day, -3, DEC_1 + HOUR)).toEqual({ from: day.start, to: day.end });
  });

  it('maps x to time and back, clamping x to the bar', () => {
    const view = { from: DEC_1, to: DEC_1 + HOUR };
    expect(timeAtX(view, 250, 1000)).toBe(DEC_1 + 15 * MINUTE);
    expect(xOfTime(view, DEC_1 + 15 * MINUTE, 1000)).toBe(250);
    expect(timeAtX(view, -20, 1000)).toBe(DEC_1);
    expect(timeAtX(view, 5000, 1000)).toBe(DEC_1 + HOUR);
  });

  it('follows a cursor that leaves the view, and keeps still while it is on it', () => {
    const view = viewAt(day, 4, DEC_1 + 6 * HOUR);
    expect(followView(day, 4, view, DEC_1 + 6 * HOUR)).toBe(view);
    expect(followView(day, 4, view, DEC_1 + 8 * HOUR)).toEqual(viewAt(day, 4, DEC_1 + 8 * HOUR));
  });
});

describe('ticks', () => {
  const day = dayOf(DEC_1);

  it('falls on round local times, with local labels', () => {
    const whole = ticks({ from: day.start, to: day.end }, day);
    expect(whole.map((tick) => tick.label)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24].map((hours) => label(hours)));
    expect(whole[4]!.fraction).toBe(0.5);
    const five = ticks({ from: DEC_1 + 12 * HOUR - 150_000, to: DEC_1 + 12 * HOUR + 150_000 }, day);
    expect(five.map((tick) => tick.label)).toEqual([label(11, 58), label(11, 59), label(12), label(12, 1), label(12, 2)]);
  });

  it('never crowds more than the maximum onto the bar', () => {
    for (const width of ZOOM_LEVELS_MS) expect(ticks(viewAt(day, ZOOM_LEVELS_MS.indexOf(width), DEC_1 + 12 * HOUR), day).length).toBeLessThanOrEqual(12);
  });
});

describe('bars', () => {
  const view = { from: 1_000, to: 2_000 };

  it('clips stretches to the view and leaves out those off it', () => {
    const bars = layoutBars(view, [
      { start: 0, end: 500, id: 'before' },
      { start: 900, end: 1_250, id: 'over the start' },
      { start: 1_500, end: 1_600, id: 'inside' },
      { start: 1_900, end: 3_000, id: 'over the end' },
      { start: 2_000, end: 2_100, id: 'after' },
    ]);
    expect(bars.map((bar) => [bar.item.id, bar.left, bar.width])).toEqual([
      ['over the start', 0, 0.25],
      ['inside', 0.5, expect.closeTo(0.1, 9)],
      ['over the end', 0.9, expect.closeTo(0.1, 9)],
    ]);
  });

  it('gives a short stretch the minimum width', () => {
    expect(layoutBars(view, [{ start: 1_500, end: 1_501 }], 0.01)[0]!.width).toBe(0.01);
  });
});
