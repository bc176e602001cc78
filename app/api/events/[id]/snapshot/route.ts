import { eventSnapshotResponse } from '@/lib/events/events-responses';

/** GET /api/events/<id>/snapshot — the camera's full-size picture at the event's peak. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return eventSnapshotResponse((await context.params).id, request);
}
