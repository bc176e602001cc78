/** How events read on the page: pure, so that the server's render and the browser's agree where they can. */

/** `4 s`, `3 min 5 s`, `2 h 4 min`; "ongoing" is the caller's, for an event without an end. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1_000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** A peak (the share of the picture that moved, 0 to 1) as a percentage: `0.4 %`, `12 %`. */
export function formatPeak(peak: number): string {
  const percent = peak * 100;
  return `${percent < 10 ? percent.toFixed(1).replace(/\.0$/, '') : Math.round(percent)} %`;
}

/** An instant as a datetime-local input holds it, in the browser's time zone: `2026-12-01T13:05`. */
export function toDateTimeLocal(ms: number): string {
  const date = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** A datetime-local input's value as epoch ms (the browser's time zone); undefined when empty or not a time. */
export function fromDateTimeLocal(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
