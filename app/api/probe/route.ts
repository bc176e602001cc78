import { readCameraForm } from '@/lib/http/camera-edit-response';
import { clientGoneSignal } from '@/lib/http/client-gone';
import { jsonResponse, NO_STORE_HEADERS } from '@/lib/http/no-store';
import { probeForm } from '@/lib/server/camera-admin';

/**
 * POST /api/probe?camera=<id> — "Test connection" for the camera form: the source's first picture
 * as image/jpeg, or 422 with why there is none. `camera` names the camera being edited, whose saved
 * password is used when the form leaves it blank.
 */
export async function POST(request: Request): Promise<Response> {
  const form = await readCameraForm(request);
  if (form instanceof Response) return form;
  const result = await probeForm(form, new URL(request.url).searchParams.get('camera') ?? undefined, clientGoneSignal(request.signal));
  if (!result.ok) return jsonResponse({ kind: result.kind, reason: result.reason }, 422);
  return new Response(new Uint8Array(result.jpeg), {
    headers: { ...NO_STORE_HEADERS, 'Content-Type': 'image/jpeg', 'X-Probe-Ms': String(result.elapsedMs) },
  });
}
