'use client';

import { formatClock } from './local-day';

/** The clock time of the picture shown, with its date, in the browser's time zone. */
export function PlaybackClock({ clock }: { clock: number | undefined }) {
  return (
    <time
      data-playback-clock={clock === undefined ? '' : Math.round(clock)}
      dateTime={clock === undefined ? undefined : new Date(clock).toISOString()}
      className="whitespace-nowrap font-mono text-sm tabular-nums text-neutral-100"
    >
      {clock === undefined ? '—' : formatClock(clock)}
    </time>
  );
}
