'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { fromDateTimeLocal, toDateTimeLocal } from './event-format';
import { eventsSearch, isFiltered, type EventFilter } from './events-search';
import { useHydrated } from './use-hydrated';

export type CameraOption = { id: string; name: string };

const FIELD = 'rounded-md bg-neutral-900 px-2 py-1 text-sm text-neutral-100 ring-1 ring-neutral-700 focus:outline-2 focus:outline-sky-500';
// A datetime-local names a minute: "to 13:05" takes in the whole of that minute.
const REST_OF_MINUTE_MS = 59_999;

/** Camera and time filters; applying them puts them in the page's URL, so a reload or a link keeps them. */
export function EventFilters({ cameras, filter }: { cameras: CameraOption[]; filter: EventFilter }) {
  const router = useRouter();
  // The inputs show times in the browser's zone, so their values are filled in once the page runs there.
  const hydrated = useHydrated();
  const [problem, setProblem] = useState<string | null>(null);

  const apply = (submit: FormEvent<HTMLFormElement>) => {
    submit.preventDefault();
    const form = new FormData(submit.currentTarget);
    const from = fromDateTimeLocal(String(form.get('from') ?? ''));
    const toMinute = fromDateTimeLocal(String(form.get('to') ?? ''));
    const to = toMinute === undefined ? undefined : toMinute + REST_OF_MINUTE_MS;
    if (from !== undefined && to !== undefined && from > to) {
      setProblem('"From" must not be after "To".');
      return;
    }
    setProblem(null);
    router.push(`/events${eventsSearch({ camera: String(form.get('camera') ?? '') || undefined, from, to })}`);
  };

  return (
    <form key={hydrated ? 'browser' : 'server'} onSubmit={apply} data-event-filters className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="text-xs text-neutral-400">Camera</span>
        <select name="camera" defaultValue={filter.camera ?? ''} className={FIELD}>
          <option value="">All cameras</option>
          {cameras.map((camera) => (
            <option key={camera.id} value={camera.id}>
              {camera.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-neutral-400">From</span>
        <input type="datetime-local" name="from" defaultValue={hydrated && filter.from !== undefined ? toDateTimeLocal(filter.from) : ''} className={FIELD} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-neutral-400">To</span>
        <input type="datetime-local" name="to" defaultValue={hydrated && filter.to !== undefined ? toDateTimeLocal(filter.to) : ''} className={FIELD} />
      </label>
      <button type="submit" className="rounded-md bg-sky-600 px-3 py-1 text-sm font-medium text-white hover:bg-sky-500">
        Apply
      </button>
      {isFiltered(filter) && (
        <Link href="/events" className="rounded-md px-2.5 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white">
          Clear
        </Link>
      )}
      {problem && (
        <p role="alert" className="w-full text-red-300">
          {problem}
        </p>
      )}
    </form>
  );
}
