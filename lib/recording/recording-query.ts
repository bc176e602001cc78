/** The recordings API's parameters: a camera id in the path, times in epoch ms in the query. Each problem names its parameter. */
import { CAMERA_ID } from '../config/schema';
import type { Parsed } from '../events/events-query';

export type { Parsed, QueryProblem } from '../events/events-query';
export { describeProblem } from '../events/events-query';

const HOUR_MS = 60 * 60_000;
export const DEFAULT_SPANS_MS = 24 * HOUR_MS;
export const MAX_SPANS_MS = 31 * 24 * HOUR_MS;
export const MAX_EXPORT_MS = 6 * HOUR_MS;
// The last millisecond a JavaScript Date can hold.
const MAX_TIME = 8_640_000_000_000_000;
const TIME_MESSAGE = 'must be a time in epoch milliseconds (a whole number, 0 or more)';

export function parseCameraId(text: string): Parsed<string> {
  if (CAMERA_ID.test(text)) return { ok: true, value: text };
  return { ok: false, parameter: 'id', message: 'must be a camera id (lowercase letters, digits, "-" or "_", up to 64)' };
}

type Times<Name extends string> = Partial<Record<Name, number>>;

/** The named time parameters, each at most once; any other parameter is an error. An empty value is the same as none. */
function parseTimes<Name extends string>(params: URLSearchParams, names: readonly Name[]): Parsed<Times<Name>> {
  const values: Times<Name> = {};
  const seen = new Set<string>();
  for (const [name, text] of params) {
    if (seen.has(name)) return { ok: false, parameter: name, message: 'is given more than once' };
    seen.add(name);
    if (!(names as readonly string[]).includes(name)) return { ok: false, parameter: name, message: `is not a parameter here (${names.join(', ')})` };
    if (text === '') continue;
    const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
    if (!(value <= MAX_TIME)) return { ok: false, parameter: name, message: TIME_MESSAGE };
    values[name as Name] = value;
  }
  return { ok: true, value: values };
}

export type TimeRange = { from: number; to: number };

/** `?from=&to=` of the spans: by default the 24 h up to `to`, `to` by default now; at most 31 days. */
export function parseSpansQuery(params: URLSearchParams, now: number): Parsed<TimeRange> {
  const times = parseTimes(params, ['from', 'to'] as const);
  if (!times.ok) return times;
  const to = times.value.to ?? (times.value.from === undefined ? now : Math.min(times.value.from + DEFAULT_SPANS_MS, MAX_TIME));
  const from = times.value.from ?? Math.max(0, to - DEFAULT_SPANS_MS);
  return checkedRange(from, to, MAX_SPANS_MS, '31 days');
}

/** `?from=&to=` of an export: both needed, at most 6 h apart. */
export function parseExportQuery(params: URLSearchParams): Parsed<TimeRange> {
  const times = parseTimes(params, ['from', 'to'] as const);
  if (!times.ok) return times;
  const { from, to } = times.value;
  if (from === undefined) return { ok: false, parameter: 'from', message: 'is needed: where the export starts, in epoch milliseconds' };
  if (to === undefined) return { ok: false, parameter: 'to', message: 'is needed: where the export ends, in epoch milliseconds' };
  return checkedRange(from, to, MAX_EXPORT_MS, '6 hours');
}

/** `?at=` of the playback media: the moment to play from. */
export function parseMediaQuery(params: URLSearchParams): Parsed<{ at: number }> {
  const times = parseTimes(params, ['at'] as const);
  if (!times.ok) return times;
  if (times.value.at === undefined) return { ok: false, parameter: 'at', message: 'is needed: the moment to play, in epoch milliseconds' };
  return { ok: true, value: { at: times.value.at } };
}

function checkedRange(from: number, to: number, longest: number, longestText: string): Parsed<TimeRange> {
  if (from >= to) return { ok: false, parameter: 'from', message: 'must be before to' };
  if (to - from > longest) return { ok: false, parameter: 'to', message: `must be at most ${longestText} after from` };
  return { ok: true, value: { from, to } };
}
