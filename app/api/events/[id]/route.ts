import { eventResponse } from '@/lib/events/events-responses';

/** GET /api/events/<id> — one motion event. */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return eventResponse((await context.params).id);
}
