import { getCamdash } from '@/lib/server/camdash';
import { gridResponse } from '@/lib/http/grid-response';
import { jsonResponse } from '@/lib/http/no-store';
import { parseCameraList } from '@/lib/http/camera-list';

/** GET /api/grid/stream?cameras=a,b,c — the grid's visible tiles, all on one connection. */
export async function GET(request: Request): Promise<Response> {
  const { registry } = await getCamdash();
  const ids = parseCameraList(new URL(request.url).searchParams.get('cameras')).filter((id) => registry.has(id));
  if (ids.length === 0) return jsonResponse({ error: 'no known camera in ?cameras=' }, 404);
  // The same hold renews a camera whose entry changes while the connection is open.
  const hold = (id: string) => registry.subscribe(id, 'grid');
  return gridResponse(ids.flatMap((id) => hold(id) ?? []), hold, request.signal);
}
