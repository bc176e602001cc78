import { getCamdash } from '@/lib/server/camdash';
import { jsonResponse, unknownCamera } from '@/lib/http/no-store';
import { videoResponse } from '@/lib/http/video-response';

/**
 * GET /api/cameras/<id>/video — the camera's own video (H.264, or H.265), copied from its one
 * connection, as multipart parts for the page's Media Source player: the init segment, the frames
 * since the last keyframe, then every frame. 404 for a camera that has none; the page then plays
 * its MJPEG stream.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const { registry } = await getCamdash();
  if (!registry.has(id)) return unknownCamera();
  const subscription = registry.subscribeVideo(id, new URL(request.url).searchParams.get('variant') === 'grid' ? 'grid' : 'main');
  if (!subscription) return jsonResponse({ error: 'this camera has no video to copy: watch its MJPEG stream' }, 404);
  return videoResponse(subscription, request.signal);
}
