import { mediaResponse } from '@/lib/recording/recording-responses';

/** GET /api/recordings/<camera>/media?at= — the recorded video from the keyframe at or before `at`, for the playback page's player. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return mediaResponse((await context.params).id, new URL(request.url).searchParams, request.signal);
}
