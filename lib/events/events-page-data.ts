import { getCamdash } from '../server/camdash';
import { EventStoreError } from './event-store-error';
import { getEventStore } from './event-store-instance';
import { eventJson, type EventJson } from './event-json';
import { describeProblem, parseEventsQuery } from './events-query';

export const EVENTS_PAGE_SIZE = 50;

export type EventsPageData = {
  /** Ids and names only: whatever a client component is given ends up in the page. */
  cameras: { id: string; name: string }[];
  filter: { camera?: string | undefined; from?: number | undefined; to?: number | undefined };
  initialEvents: EventJson[];
  pageSize: number;
  problem?: string;
};

/** The events page's first page, for the filters in its URL (the API's parameters). */
export async function eventsPageData(searchParams: Record<string, string | string[] | undefined>): Promise<EventsPageData> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) {
    for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(name, each);
  }
  if (!params.has('limit')) params.set('limit', String(EVENTS_PAGE_SIZE));
  const cameras = (await getCamdash()).cameras().map(({ id, name }) => ({ id, name }));
  const query = parseEventsQuery(params);
  if (!query.ok) return { cameras, filter: {}, initialEvents: [], pageSize: EVENTS_PAGE_SIZE, problem: `These filters cannot be shown: ${describeProblem(query)}.` };

  const { camera, from, to, limit } = query.value;
  // A camera no longer in cameras.json still has its events, under its id.
  if (camera !== undefined && !cameras.some((each) => each.id === camera)) cameras.push({ id: camera, name: camera });
  const page = { cameras, filter: { camera, from, to }, pageSize: limit };
  try {
    return { ...page, initialEvents: getEventStore().list(query.value).map(eventJson) };
  } catch (error) {
    if (!(error instanceof EventStoreError)) throw error;
    return { ...page, initialEvents: [], problem: `The events cannot be read: ${error.message}` };
  }
}
