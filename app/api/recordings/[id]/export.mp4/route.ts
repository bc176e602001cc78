import { exportResponse } from '@/lib/recording/export-response';

/** GET /api/recordings/<camera>/export.mp4?from=&to= — the footage between two times as an MP4 download (copied, not re-encoded). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return exportResponse((await context.params).id, new URL(request.url).searchParams, request.signal);
}
