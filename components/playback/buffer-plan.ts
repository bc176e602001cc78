/**
 * The playback player's decisions, apart from MediaSource: how far ahead to fetch at a rate, what
 * to trim, where footage goes on after a gap, whether a seek lands in what is buffered, and which
 * event is the previous or the next. Times on the clock are epoch ms; buffer times are the video's
 * seconds (clock = base + seconds × 1000). Pure.
 */
import type { Span } from '@/lib/recording/types';

/** Seconds of footage kept buffered ahead of the picture at 1×; proportionally more at higher rates. */
export const AHEAD_S = 30;
/** What lies further behind the picture than this is removed. */
export const BEHIND_S = 60;
/** A range ending this close after the picture counts as reached: the video would stall there. */
export const GAP_EPSILON_S = 0.15;

export type Range = { start: number; end: number };

/** Milliseconds of footage to have fetched ahead of the picture at `rate`: 30 s of viewing time. */
export const aheadMs = (rate: number): number => AHEAD_S * 1000 * Math.max(rate, 1);

/** Where the next request asks: `cursor` once the fetched footage ends less than aheadMs before the picture; else undefined. */
export function nextFetchAt(cursor: number | undefined, picture: number, fetchedUntil: number, rate: number): number | undefined {
  if (cursor === undefined) return undefined;
  return fetchedUntil - picture < aheadMs(rate) ? cursor : undefined;
}

/** Where footage goes on after `clock`: the start of the first span that begins at or after it; undefined when none does. */
export function nextSpanStart(spans: readonly Span[], clock: number): number | undefined {
  let best: number | undefined;
  for (const span of spans) if (span.start >= clock && (best === undefined || span.start < best)) best = span.start;
  return best;
}

/** The span holding `clock`, if any. */
export const spanAt = (spans: readonly Span[], clock: number): Span | undefined => spans.find((span) => clock >= span.start && clock < span.end);

/** Where to ask when `at` is in no span: the next span's start (a gap is skipped); `at` itself when it is in one or nothing is known after it. */
export function landingAt(spans: readonly Span[], at: number): number {
  if (spans.length === 0 || spanAt(spans, at)) return at;
  return nextSpanStart(spans, at) ?? at;
}

/** The end of the removal that drops what lies more than `behindS` behind `current`; undefined when nothing does. */
export function trimEnd(current: number, buffered: readonly Range[], behindS = BEHIND_S): number | undefined {
  const end = current - behindS;
  const first = buffered[0];
  return first && first.start < end ? end : undefined;
}

/** Whether `time` is buffered with at least `aheadS` after it in the same range: a seek there can reuse the buffer. */
export function isBuffered(buffered: readonly Range[], time: number, aheadS = 0.5): boolean {
  return buffered.some((range) => time >= range.start && time + aheadS <= range.end);
}

/**
 * Where playback should jump to get over a hole in the buffer: when the picture is at (or past)
 * the end of its range, or in no range, and a later range starts, its start. A gap between spans
 * and a small hole between two segments are both holes; the video would wait at either forever.
 */
export function gapJump(current: number, buffered: readonly Range[], epsilon = GAP_EPSILON_S): number | undefined {
  const holding = buffered.find((range) => current >= range.start - 1e-3 && current < range.end);
  if (holding && holding.end - current > epsilon) return undefined;
  const later = buffered.find((range) => range.start > current + 1e-3 && (!holding || range.start >= holding.end - 1e-3));
  return later?.start;
}

/** The media's timestampOffset for a response: its first fragment at its clock time, on the session's base. */
export const timestampOffset = (clockStart: number, base: number, mediaStart: number): number => (clockStart - base) / 1000 - mediaStart;

export const clockOfTime = (base: number, seconds: number): number => base + seconds * 1000;
export const timeOfClock = (base: number, clock: number): number => (clock - base) / 1000;

/**
 * A new base is needed when `clock` lies before it (a video time cannot be negative) or so far
 * after it that the buffer's times grow needlessly large: the day before the moment's day.
 */
export function needsNewBase(base: number | undefined, clock: number): boolean {
  return base === undefined || clock < base || clock - base > 30 * 24 * 3_600_000;
}

/** Events a step away from the picture. Previous skips what began in the last 2 s, so that pressing it twice goes further back. */
export function adjacentEvent<T extends { startedAt: number }>(events: readonly T[], clock: number, direction: 'previous' | 'next'): T | undefined {
  let best: T | undefined;
  for (const event of events) {
    if (direction === 'previous' ? event.startedAt < clock - 2_000 && (!best || event.startedAt > best.startedAt) : event.startedAt > clock + 500 && (!best || event.startedAt < best.startedAt)) {
      best = event;
    }
  }
  return best;
}

/** Where the page opens without ?at=: the last recorded minute (a shorter last span from its start). */
export function lastRecordedMinute(spans: readonly Span[]): number | undefined {
  const last = spans.reduce<Span | undefined>((newest, span) => (!newest || span.end > newest.end ? span : newest), undefined);
  return last && Math.max(last.start, last.end - 60_000);
}
