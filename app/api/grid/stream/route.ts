import { getCamdash } from '@/lib/server/camdash';
import { gridResponse } from '@/lib/http/grid-response';
import { jsonResponse } from '@/lib/http/no-store';
import { parseCameraList } from '@/lib/http/camera-list';
import { gridHold } from '@/lib/http/grid-holds';

/**
 * GET /api/grid/stream?cameras=a,b,c&video=a,b — the grid's visible tiles, all on one connection;
 * those in `video` get their camera's own video where it has one (the page can play its codec),
 * the others JPEG frames.
 */
export async function GET(request: Request): Promise<Response> {
  const { registry } = await getCamdash();
  const query = new URL(request.url).searchParams;
  const ids = parseCameraList(query.get('cameras')).filter((id) => registry.has(id));
  if (ids.length === 0) return jsonResponse({ error: 'no known camera in ?cameras=' }, 404);
  const video = new Set(parseCameraList(query.get('video')));
  // The same hold renews a camera whose entry changes while the connection is open.
  const hold = (id: string) => gridHold(registry, id, video.has(id));
  return gridResponse(ids.flatMap((id) => hold(id) ?? []), hold, request.signal);
}
