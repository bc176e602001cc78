import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { EventsView } from '@/components/events/events-view';
import { eventsPageData } from '@/lib/events/events-page-data';

export const metadata: Metadata = { title: 'Events' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Motion events, newest first, filtered by the URL's camera, from and to (epoch ms, as the API takes them). */
export default async function EventsPage({ searchParams }: Props) {
  // Events are read per request, never baked in at build time.
  await connection();
  const data = await eventsPageData(await searchParams);
  return (
    <main data-events-page className="mx-auto max-w-5xl space-y-4 p-2 sm:p-4">
      <div className="flex items-center gap-3">
        <Link href="/" className="shrink-0 whitespace-nowrap rounded px-2 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white">
          ← <span className="hidden sm:inline">All cameras</span>
        </Link>
        <h1 className="font-medium">Motion events</h1>
      </div>
      <EventsView key={JSON.stringify(data.filter)} {...data} />
    </main>
  );
}
