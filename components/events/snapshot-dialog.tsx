'use client';

import { useEffect, useRef, useState } from 'react';
import type { EventJson } from '@/lib/events/event-json';
import { formatPeak } from './event-format';
import { EventDuration, EventZones } from './event-row';
import { HeatmapCanvas } from './heatmap-canvas';
import { LocalTime } from './local-time';

const BUTTON = 'rounded-md px-2.5 py-1 text-sm text-neutral-300 ring-1 ring-neutral-700 hover:bg-neutral-800 hover:text-white disabled:opacity-40 disabled:hover:bg-transparent';

type Props = {
  event: EventJson & { snapshot: string };
  cameraName: string;
  /** The next newer / older event with a picture, if any. */
  onNewer: (() => void) | undefined;
  onOlder: (() => void) | undefined;
  onClose(): void;
};

/** An event's picture full size, with its heatmap on demand; ←/→ step through the list, Esc closes. */
export function SnapshotDialog({ event, cameraName, onNewer, onOlder, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [showHeatmap, setShowHeatmap] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      onKeyDown={(key) => {
        if (key.key === 'ArrowLeft') onNewer?.();
        if (key.key === 'ArrowRight') onOlder?.();
      }}
      aria-labelledby="snapshot-dialog-title"
      data-snapshot-dialog={event.id}
      className="m-auto w-[min(80rem,calc(100vw-1.5rem))] overflow-hidden rounded-xl border border-neutral-700 bg-neutral-900 p-0 text-neutral-100 backdrop:bg-black/80"
    >
      <div className="flex flex-wrap items-center gap-2 px-3 py-2">
        <h2 id="snapshot-dialog-title" className="min-w-0 truncate text-sm font-medium">
          {cameraName} · <LocalTime ms={event.startedAt} className="text-neutral-400" />
        </h2>
        <div className="ml-auto flex flex-wrap gap-2">
          <button type="button" onClick={onNewer} disabled={!onNewer} title="Newer event (←)" className={BUTTON}>
            ← Newer
          </button>
          <button type="button" onClick={onOlder} disabled={!onOlder} title="Older event (→)" className={BUTTON}>
            Older →
          </button>
          <button type="button" aria-pressed={showHeatmap} onClick={() => setShowHeatmap((shown) => !shown)} className={BUTTON}>
            {showHeatmap ? 'Hide heatmap' : 'Heatmap'}
          </button>
          <button type="button" onClick={() => dialog.current?.close()} className={BUTTON}>
            Close
          </button>
        </div>
      </div>
      <div className="flex justify-center bg-black">
        <span className="relative block">
          {/* eslint-disable-next-line @next/next/no-img-element -- a JPEG from the API, behind the login */}
          <img src={event.snapshot} alt={`${cameraName} at the event's peak, full size`} data-full-snapshot className="block max-h-[calc(95dvh-6rem)] max-w-full" />
          {showHeatmap && <HeatmapCanvas heatmap={event.heatmap} />}
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-sm text-neutral-300">
        <EventDuration event={event} />
        <span>peak {formatPeak(event.peak)}</span>
        <EventZones zones={event.zones} />
      </div>
    </dialog>
  );
}
