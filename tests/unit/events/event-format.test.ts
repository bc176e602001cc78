import { describe, expect, it } from 'vitest';
import { formatDuration, formatPeak, fromDateTimeLocal, toDateTimeLocal } from '@/components/events/event-format';
import { eventsSearch, isFiltered } from '@/components/events/events-search';

describe('how events read on the page', () => {
  it('says how long an event lasted in seconds, minutes and hours', () => {
    expect([0, 400, 4_000, 59_499, 60_000, 65_000, 3_599_000, 3_600_000, 7_440_000].map(formatDuration)).toEqual([
      '0 s',
      '0 s',
      '4 s',
      '59 s',
      '1 min',
      '1 min 5 s',
      '59 min 59 s',
      '1 h',
      '2 h 4 min',
    ]);
  });

  it('gives the peak as a percentage of the picture', () => {
    expect([0, 0.004, 0.05, 0.123, 1].map(formatPeak)).toEqual(['0 %', '0.4 %', '5 %', '12 %', '100 %']);
  });

  it("goes to a datetime-local input's value and back, to the minute, in the browser's zone", () => {
    const ms = Date.UTC(2026, 11, 1, 13, 5, 42, 123);
    expect(toDateTimeLocal(ms)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(fromDateTimeLocal(toDateTimeLocal(ms))).toBe(Date.UTC(2026, 11, 1, 13, 5));
    expect(fromDateTimeLocal('')).toBeUndefined();
    expect(fromDateTimeLocal('yesterday')).toBeUndefined();
  });

  it('puts only the filters that are set in the URL', () => {
    expect(eventsSearch({})).toBe('');
    expect(eventsSearch({ camera: 'door', to: 5, limit: 50 })).toBe('?camera=door&to=5&limit=50');
    expect(eventsSearch({ camera: '', from: 0 })).toBe('?from=0');
    expect([isFiltered({}), isFiltered({ from: 0 }), isFiltered({ camera: 'door' })]).toEqual([false, true, true]);
  });
});
