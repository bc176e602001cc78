'use client';

import Link from 'next/link';
import type { EventJson } from '@/lib/events/event-json';
import { EVENT_LEAD_MS, playbackPath } from '../playback/open-at';
import { formatDuration, formatPeak } from './event-format';
import { EventThumbnail } from './event-thumbnail';
import { LocalTime } from './local-time';

/** One event of the list: its picture, camera, start, duration, zones and peak. */
export function EventRow({ event, cameraName, onOpen }: { event: EventJson; cameraName: string; onOpen(): void }) {
  const ongoing = event.endedAt === null;
  return (
    <li
      data-event-id={event.id}
      data-camera={event.camera}
      data-ongoing={ongoing ? 'true' : 'false'}
      className="flex gap-3 rounded-lg bg-neutral-900 p-2 ring-1 ring-neutral-800"
    >
      <EventThumbnail event={event} cameraName={cameraName} onOpen={onOpen} />
      <div className="min-w-0 flex-1 space-y-1 py-0.5 text-sm">
        <div className="flex flex-wrap items-baseline gap-x-3">
          <span data-event-camera className="truncate font-medium">
            {cameraName}
          </span>
          <LocalTime ms={event.startedAt} className="text-neutral-400" />
        </div>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-neutral-300">
          <EventDuration event={event} />
          <span title="The largest share of the picture that moved">peak {formatPeak(event.peak)}</span>
          <Link
            href={playbackPath(event.camera, event.startedAt - EVENT_LEAD_MS)}
            prefetch={false}
            data-event-play
            title="Play the recording from 5 s before the event"
            className="rounded bg-neutral-800 px-2 py-0.5 text-xs text-neutral-200 hover:bg-neutral-700"
          >
            ▶ Play
          </Link>
        </div>
        <EventZones zones={event.zones} />
      </div>
    </li>
  );
}

export function EventDuration({ event }: { event: EventJson }) {
  if (event.endedAt === null) {
    return (
      <span data-event-duration="ongoing" className="inline-flex items-center gap-1.5 rounded-full bg-red-500/15 px-2 py-0.5 text-xs font-medium text-red-300 ring-1 ring-inset ring-red-500/30">
        <span className="size-1.5 animate-pulse rounded-full bg-current" />
        ongoing
      </span>
    );
  }
  return <span data-event-duration={event.endedAt - event.startedAt}>{formatDuration(event.endedAt - event.startedAt)}</span>;
}

export function EventZones({ zones }: { zones: string[] }) {
  if (zones.length === 0) return null;
  return (
    <ul data-event-zones className="flex flex-wrap gap-1">
      {zones.map((zone) => (
        <li key={zone} className="rounded bg-neutral-800 px-1.5 py-0.5 text-xs text-neutral-300">
          {zone}
        </li>
      ))}
    </ul>
  );
}
