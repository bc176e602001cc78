import { dashboardState } from '@/lib/cameras/dashboard-state';
import { getCamdash } from '@/lib/server/camdash';
import { jsonResponse } from '@/lib/http/no-store';
import { editResponse, readCameraForm } from '@/lib/http/camera-edit-response';
import { camerasEditor } from '@/lib/server/camera-admin';

/** GET /api/cameras — every camera's public state (never its source), and the cameras file's errors. */
export async function GET(): Promise<Response> {
  return jsonResponse(dashboardState(await getCamdash()));
}

/** POST /api/cameras — adds a camera from the camera form to cameras.json. */
export async function POST(request: Request): Promise<Response> {
  const form = await readCameraForm(request);
  if (form instanceof Response) return form;
  return editResponse(await (await camerasEditor()).add(form), 201);
}
