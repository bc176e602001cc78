import { eventsListResponse } from '@/lib/events/events-responses';

/** GET /api/events?camera=&from=&to=&limit= — motion events, newest first. */
export function GET(request: Request): Response {
  return eventsListResponse(new URL(request.url).searchParams);
}
