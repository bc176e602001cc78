/** The playback page's `?at=`: the moment to open at, in epoch ms. Pure, shared by the page and its links. */

export type OpenAt = { at: number | undefined; problem: string | undefined };

export function parseOpenAt(value: string | string[] | undefined): OpenAt {
  if (value === undefined || value === '') return { at: undefined, problem: undefined };
  const text = Array.isArray(value) ? value[0]! : value;
  if (Array.isArray(value) && value.length > 1) return { at: undefined, problem: 'at: is given more than once; opening at the last recorded minute' };
  const at = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(at) || at > 8_640_000_000_000_000) {
    return { at: undefined, problem: `at: must be a time in epoch milliseconds (got "${text.slice(0, 40)}"); opening at the last recorded minute` };
  }
  return { at, problem: undefined };
}

/** The playback page of `camera`, at `at` when given. */
export const playbackPath = (camera: string, at?: number): string =>
  `/cameras/${encodeURIComponent(camera)}/playback${at === undefined ? '' : `?at=${Math.max(0, Math.round(at))}`}`;

/** The export download of `camera` from `from` to `to`. */
export const exportPath = (camera: string, from: number, to: number): string =>
  `/api/recordings/${encodeURIComponent(camera)}/export.mp4?from=${Math.round(from)}&to=${Math.round(to)}`;

/** How far before an event's start its 'Play' link opens: the moments that led up to it. */
export const EVENT_LEAD_MS = 5_000;
