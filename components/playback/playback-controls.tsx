'use client';

import type { EventJson } from '@/lib/events/event-json';
import { adjacentEvent } from './buffer-plan';
import { RATES, type Playback } from './use-playback';
import { BUTTON } from './styles';

const JUMP_MS = 10_000;

/** Play/pause, the rate, ±10 s and the previous/next motion event. */
export function PlaybackControls({ playback, events }: { playback: Playback; events: readonly EventJson[] }) {
  const { clock, seek } = playback;
  const previous = clock === undefined ? undefined : adjacentEvent(events, clock, 'previous');
  const next = clock === undefined ? undefined : adjacentEvent(events, clock, 'next');
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" aria-label="Previous event" title="Previous motion event" disabled={!previous} onClick={() => previous && seek(previous.startedAt)} className={BUTTON}>
        ‹ Event
      </button>
      <button type="button" aria-label="Back 10 seconds" disabled={clock === undefined} onClick={() => clock !== undefined && seek(clock - JUMP_MS)} className={BUTTON}>
        −10 s
      </button>
      <button type="button" aria-label={playback.playing ? 'Pause' : 'Play'} onClick={playback.togglePlay} className={`${BUTTON} min-w-16`}>
        {playback.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" aria-label="Forward 10 seconds" disabled={clock === undefined} onClick={() => clock !== undefined && seek(clock + JUMP_MS)} className={BUTTON}>
        +10 s
      </button>
      <button type="button" aria-label="Next event" title="Next motion event" disabled={!next} onClick={() => next && seek(next.startedAt)} className={BUTTON}>
        Event ›
      </button>
      <div role="group" aria-label="Speed" className="flex overflow-hidden rounded ring-1 ring-neutral-700">
        {RATES.map((rate) => (
          <button
            key={rate}
            type="button"
            aria-pressed={playback.rate === rate}
            data-rate={rate}
            onClick={() => playback.setRate(rate)}
            className={`px-2.5 py-1 text-sm ${playback.rate === rate ? 'bg-sky-700 text-white' : 'bg-neutral-900 text-neutral-300 hover:bg-neutral-800'}`}
          >
            {rate}×
          </button>
        ))}
      </div>
    </div>
  );
}
