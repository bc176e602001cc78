/** Days as the person at the browser counts them: local midnight to local midnight (23 or 25 h across a DST change). Pure. */

export type Day = { start: number; end: number };

/** The local day that holds `ms`. */
export function dayOf(ms: number): Day {
  const start = new Date(ms);
  start.setHours(0, 0, 0, 0);
  const end = new Date(start);
  // By the calendar, not + 24 h: a DST change makes a day 23 or 25 hours long.
  end.setDate(end.getDate() + 1);
  return { start: start.getTime(), end: end.getTime() };
}

/** The local day `offset` days from `day` (-1: the day before). */
export function dayAfter(day: Day, offset: number): Day {
  const noon = new Date(day.start);
  noon.setDate(noon.getDate() + offset);
  noon.setHours(12);
  return dayOf(noon.getTime());
}

const DAY_LABEL = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });

export const dayLabel = (day: Day): string => DAY_LABEL.format(day.start);

const CLOCK = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A moment of footage with its date, in the browser's time zone: what the clock over the picture says. */
export const formatClock = (ms: number): string => CLOCK.format(ms);

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A moment within the shown day, for the timeline's hover. */
export const formatTime = (ms: number): string => TIME.format(ms);

const two = (n: number) => String(n).padStart(2, '0');

/** An instant as a datetime-local input with seconds holds it, in the browser's time zone: `2026-12-01T13:05:09`. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** A datetime-local input's value as epoch ms (local time); undefined when empty or not a time. */
export function fromLocalInput(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
