import { editResponse, readCameraForm } from '@/lib/http/camera-edit-response';
import { jsonResponse, unknownCamera } from '@/lib/http/no-store';
import { refuseUnlessSignedIn } from '@/lib/auth/require-session';
import { camerasEditor } from '@/lib/server/camera-admin';
import { getCamdash } from '@/lib/server/camdash';

type Context = { params: Promise<{ id: string }> };

/** GET /api/cameras/<id> — one camera as in the list: status, never its source. */
export async function GET(_request: Request, context: Context): Promise<Response> {
  const camera = (await getCamdash()).camera((await context.params).id);
  return camera ? jsonResponse(camera) : unknownCamera();
}

/** PUT /api/cameras/<id> — saves the camera form; the hot reload then restarts the camera. */
export async function PUT(request: Request, context: Context): Promise<Response> {
  const form = await readCameraForm(request);
  if (form instanceof Response) return form;
  return editResponse(await (await camerasEditor()).update((await context.params).id, form));
}

/** DELETE /api/cameras/<id> — removes the camera from cameras.json. */
export async function DELETE(request: Request, context: Context): Promise<Response> {
  const refused = await refuseUnlessSignedIn(request);
  if (refused) return refused;
  return editResponse(await (await camerasEditor()).remove((await context.params).id));
}
