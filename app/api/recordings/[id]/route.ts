import { spansResponse } from '@/lib/recording/recording-responses';

/** GET /api/recordings/<camera>?from=&to= — `{ spans: [{ start, end }] }`: when the camera has footage, in epoch ms. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return spansResponse((await context.params).id, new URL(request.url).searchParams);
}
