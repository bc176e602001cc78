/**
 * The timeline's arithmetic: which stretch of the day it shows at each zoom, where a moment lies on
 * it, its tick marks, and where recorded spans and motion events are drawn. Pure: no DOM, no React.
 */
import type { Day } from './local-day';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The widths the timeline can show, widest first: the whole day down to 5 minutes around a centre. */
export const ZOOM_LEVELS_MS = [24 * HOUR, 12 * HOUR, 6 * HOUR, 3 * HOUR, HOUR, 30 * MINUTE, 15 * MINUTE, 5 * MINUTE] as const;

export type View = { from: number; to: number };

/** The stretch shown at zoom `level` (an index into ZOOM_LEVELS_MS) around `centre`, kept inside the day. */
export function viewAt(day: Day, level: number, centre: number): View {
  const dayLength = day.end - day.start;
  const width = Math.min(ZOOM_LEVELS_MS[clampLevel(level)]!, dayLength);
  const from = Math.min(Math.max(centre - width / 2, day.start), day.end - width);
  return { from, to: from + width };
}

export const clampLevel = (level: number): number => Math.min(Math.max(Math.round(level), 0), ZOOM_LEVELS_MS.length - 1);

/** Where `ms` lies across the view, 0 to 1 (outside it: below 0 or above 1). */
export const fractionOf = (view: View, ms: number): number => (ms - view.from) / (view.to - view.from);

/** The moment at `x` pixels of a bar `width` pixels wide, clamped to the view. */
export function timeAtX(view: View, x: number, width: number): number {
  const fraction = Math.min(Math.max(width > 0 ? x / width : 0, 0), 1);
  return Math.round(view.from + fraction * (view.to - view.from));
}

export const xOfTime = (view: View, ms: number, width: number): number => fractionOf(view, ms) * width;

/** Steps between ticks; the first that leaves room enough between labels is used. */
const TICK_STEPS_MS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR];

export type Tick = { at: number; fraction: number; label: string };

/**
 * Ticks at round local times (each on a whole multiple of its step since local midnight, so that
 * a time zone with a half-hour offset still gets 12:00, not 12:30), at most `maxTicks` of them.
 */
export function ticks(view: View, day: Day, maxTicks = 12): Tick[] {
  const span = view.to - view.from;
  const step = TICK_STEPS_MS.find((candidate) => Math.floor(span / candidate) + 1 <= maxTicks) ?? TICK_STEPS_MS.at(-1)!;
  const label = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const result: Tick[] = [];
  // From the day's start, so ticks sit on local clock times; on a DST day, those after the change are an hour off the round time, and say so.
  const first = day.start + Math.ceil((view.from - day.start) / step) * step;
  for (let at = first; at <= view.to; at += step) {
    result.push({ at, fraction: fractionOf(view, at), label: label.format(at) });
  }
  return result;
}

export type Bar<T> = { item: T; left: number; width: number };

/** Stretches of time as bars across the view (fractions 0–1), clipped to it; what lies outside is left out. */
export function layoutBars<T extends { start: number; end: number }>(view: View, stretches: readonly T[], minWidth = 0): Bar<T>[] {
  const bars: Bar<T>[] = [];
  for (const item of stretches) {
    if (item.end <= view.from || item.start >= view.to) continue;
    const left = Math.max(fractionOf(view, item.start), 0);
    const right = Math.min(fractionOf(view, item.end), 1);
    // A 2 s event on a 24 h bar would be invisible: it gets at least minWidth.
    bars.push({ item, left, width: Math.max(right - left, minWidth) });
  }
  return bars;
}

/** The view moved so that `ms` is on it, unchanged when it already is (away from the edges). */
export function followView(day: Day, level: number, view: View, ms: number): View {
  const margin = (view.to - view.from) * 0.02;
  if (ms >= view.from + margin && ms <= view.to - margin) return view;
  return viewAt(day, level, ms);
}
