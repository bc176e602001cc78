import { createHash } from 'node:crypto';
import { jsonResponse } from '../http/no-store';
import { log } from '../log';
import { EventStoreError } from './event-store-error';
import type { EventStore } from './event-store';
import { getEventStore } from './event-store-instance';
import { eventJson } from './event-json';
import { describeProblem, parseEventId, parseEventsQuery, type QueryProblem } from './events-query';

/** GET /api/events: `{ events: [...] }`, newest first; 400 naming the parameter that is wrong. */
export function eventsListResponse(params: URLSearchParams): Response {
  const query = parseEventsQuery(params);
  if (!query.ok) return badRequest(query);
  return withStore((store) => jsonResponse({ events: store.list(query.value).map(eventJson) }));
}

/** GET /api/events/<id>: one event, 404 when there is none (never was, or pruned). */
export function eventResponse(idText: string): Response {
  const id = parseEventId(idText);
  if (!id.ok) return badRequest(id);
  return withStore((store) => {
    const event = store.get(id.value);
    return event ? jsonResponse(eventJson(event)) : unknownEvent();
  });
}

/**
 * GET /api/events/<id>/snapshot: the JPEG at the event's peak. It changes while the event goes
 * on (a higher peak, a new picture), so browsers ask again each time, and the ETag spares them
 * the picture when it has not changed: the events page shows a hundred of them.
 */
export function eventSnapshotResponse(idText: string, request: Request): Response {
  const id = parseEventId(idText);
  if (!id.ok) return badRequest(id);
  return withStore((store) => {
    const snapshot = store.snapshot(id.value);
    if (!snapshot) return store.get(id.value) ? jsonResponse({ error: 'this event has no snapshot yet' }, 404) : unknownEvent();
    // From the bytes: two pictures taken within one millisecond must not share a tag.
    const etag = `"${createHash('sha1').update(snapshot.jpeg).digest('base64url')}"`;
    const headers = { 'Cache-Control': 'private, no-cache', ETag: etag };
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
    return new Response(new Uint8Array(snapshot.jpeg), {
      headers: { ...headers, 'Content-Type': 'image/jpeg', 'Content-Length': String(snapshot.jpeg.length) },
    });
  });
}

function withStore(answer: (store: EventStore) => Response): Response {
  let store: EventStore;
  try {
    store = getEventStore();
  } catch (error) {
    if (!(error instanceof EventStoreError)) throw error;
    log('error', error.message);
    return jsonResponse({ error: `the event store is unavailable (${error.message})` }, 503);
  }
  return answer(store);
}

const badRequest = (problem: QueryProblem) => jsonResponse({ error: describeProblem(problem), parameter: problem.parameter }, 400);
const unknownEvent = () => jsonResponse({ error: 'unknown event' }, 404);
