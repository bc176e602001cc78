'use client';

import type { EventJson } from '@/lib/events/event-json';
import { HeatmapCanvas } from './heatmap-canvas';

/**
 * The snapshot, small, with the heatmap over it; a button that opens it full size. The picture's
 * own box carries the heatmap, so that the two line up whatever the camera's aspect ratio.
 */
export function EventThumbnail({ event, cameraName, onOpen }: { event: EventJson; cameraName: string; onOpen(): void }) {
  return (
    <button
      type="button"
      onClick={onOpen}
      disabled={!event.snapshot}
      data-event-thumbnail
      title={event.snapshot ? 'Open the picture full size' : 'No picture yet'}
      className="flex h-[90px] w-[160px] shrink-0 items-center justify-center overflow-hidden rounded bg-black ring-1 ring-neutral-800 enabled:hover:ring-neutral-500 focus-visible:outline-2 focus-visible:outline-sky-500"
    >
      {event.snapshot ? (
        <span className="relative block">
          {/* eslint-disable-next-line @next/next/no-img-element -- a JPEG from the API, behind the login: nothing for next/image to optimise */}
          <img
            src={event.snapshot}
            loading="lazy"
            decoding="async"
            alt={`${cameraName} at the event's peak`}
            className="block max-h-[90px] max-w-[160px]"
          />
          <HeatmapCanvas heatmap={event.heatmap} />
        </span>
      ) : (
        <span className="relative flex aspect-video w-full items-center justify-center text-xs text-neutral-500">
          No picture yet
          <HeatmapCanvas heatmap={event.heatmap} />
        </span>
      )}
    </button>
  );
}
