'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { EventJson } from '@/lib/events/event-json';
import { MAX_LIMIT } from '@/lib/events/list-limits';
import { EventFilters, type CameraOption } from './event-filters';
import { EventRow } from './event-row';
import { EventsEmpty } from './events-empty';
import { eventsSearch, isFiltered, type EventFilter } from './events-search';
import { SnapshotDialog } from './snapshot-dialog';

const BUTTON = 'rounded-md px-2.5 py-1 text-sm text-neutral-300 ring-1 ring-neutral-700 hover:bg-neutral-800 hover:text-white disabled:opacity-50';

type Props = {
  cameras: CameraOption[];
  filter: EventFilter;
  /** The newest page, rendered by the server; older pages are fetched from the API. */
  initialEvents: EventJson[];
  pageSize: number;
  /** Why there is no list: a bad filter in the URL, or a store that cannot be opened. */
  problem?: string | undefined;
};

/** The events page: filters, the list newest first with "Show older", and the full-size picture of one. */
export function EventsView({ cameras, filter, initialEvents, pageSize, problem }: Props) {
  const router = useRouter();
  const [older, setOlder] = useState<EventJson[]>([]);
  const [exhausted, setExhausted] = useState(initialEvents.length < pageSize);
  const [loading, setLoading] = useState(false);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);

  // A refresh brings a new first page; the older pages stay, and an event in both shows once.
  const events = useMemo(() => {
    const seen = new Set<number>();
    return [...initialEvents, ...older].filter((event) => !seen.has(event.id) && seen.add(event.id));
  }, [initialEvents, older]);
  const names = useMemo(() => new Map(cameras.map((camera) => [camera.id, camera.name])), [cameras]);
  const nameOf = (camera: string) => names.get(camera) ?? camera;

  const showOlder = async () => {
    const oldest = events.at(-1);
    if (!oldest) return;
    setLoading(true);
    setLoadProblem(null);
    try {
      // `to` takes in the oldest event shown, which comes again (with any that started in its
      // millisecond) and is dropped by id: one more than a page brings a page of new ones.
      const limit = Math.min(pageSize + 1, MAX_LIMIT);
      const response = await fetch(`/api/events${eventsSearch({ ...filter, to: oldest.startedAt, limit })}`, { cache: 'no-store' });
      const body = (await response.json()) as { events?: EventJson[]; error?: string };
      if (!response.ok || !body.events) throw new Error(body.error ?? `HTTP ${response.status}`);
      const fresh = body.events.filter((event) => !events.some((shown) => shown.id === event.id));
      setOlder((current) => [...current, ...fresh]);
      if (body.events.length < limit || fresh.length === 0) setExhausted(true);
    } catch (error) {
      setLoadProblem(`Could not load older events: ${(error as Error).message}`);
    } finally {
      setLoading(false);
    }
  };

  const withPictures = events.filter((event): event is EventJson & { snapshot: string } => event.snapshot !== null);
  const openIndex = withPictures.findIndex((event) => event.id === openId);
  const opened = withPictures[openIndex];
  const stepTo = (index: number) => (withPictures[index] ? () => setOpenId(withPictures[index]!.id) : undefined);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <EventFilters cameras={cameras} filter={filter} />
        <button type="button" onClick={() => router.refresh()} className={BUTTON}>
          Refresh
        </button>
      </div>
      {problem ? (
        <p role="alert" data-events-problem className="rounded-lg border border-red-500/40 bg-red-950/40 p-3 text-sm text-red-200">
          {problem}
        </p>
      ) : events.length === 0 ? (
        <EventsEmpty filtered={isFiltered(filter)} />
      ) : (
        <>
          <ul data-event-list className="space-y-2">
            {events.map((event) => (
              <EventRow key={event.id} event={event} cameraName={nameOf(event.camera)} onOpen={() => setOpenId(event.id)} />
            ))}
          </ul>
          <div className="flex items-center gap-3 text-sm">
            {!exhausted && (
              <button type="button" onClick={() => void showOlder()} disabled={loading} className={BUTTON}>
                {loading ? 'Loading…' : 'Show older events'}
              </button>
            )}
            {exhausted && <span className="text-neutral-500">No older events.</span>}
            {loadProblem && <span role="alert" className="text-red-300">{loadProblem}</span>}
          </div>
        </>
      )}
      {opened && (
        <SnapshotDialog
          event={opened}
          cameraName={nameOf(opened.camera)}
          onNewer={stepTo(openIndex - 1)}
          onOlder={stepTo(openIndex + 1)}
          onClose={() => setOpenId(null)}
        />
      )}
    </div>
  );
}
