import { getAuth } from '@/lib/auth/auth';
import { jsonResponse, unknownCamera } from '@/lib/http/no-store';
import { getCamdash } from '@/lib/server/camdash';

/**
 * GET /api/cameras/<id>/player-link — URLs of the camera's stream and snapshot for players that
 * cannot log in (VLC, Home Assistant): they carry a token good for this camera only, which stops
 * working when the dashboard password changes. Only a signed-in user gets here (proxy.ts).
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  if (!(await getCamdash()).camera(id)) return unknownCamera();
  const auth = await getAuth();
  const base = new URL(`/api/cameras/${encodeURIComponent(id)}/`, request.url);
  const query = auth.enabled ? `?token=${auth.cameraToken(id)}` : '';
  return jsonResponse({ stream: `${base.href}stream${query}`, snapshot: `${base.href}snapshot${query}` });
}
