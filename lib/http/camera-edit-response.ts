import type { EditOutcome } from '../config/cameras-file-editor';
import { validateCameraForm, type CameraForm } from '../config/camera-form';
import { jsonResponse } from './no-store';
import { refuseUnlessSignedIn } from '../auth/require-session';

/** Reads and checks a camera form posted as JSON; a Response when it cannot be used. */
export async function readCameraForm(request: Request): Promise<CameraForm | Response> {
  const refused = await refuseUnlessSignedIn(request);
  if (refused) return refused;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonResponse({ errors: { form: 'the request body must be JSON' } }, 400);
  }
  const checked = validateCameraForm(body);
  return checked.ok ? checked.form : jsonResponse({ errors: checked.errors }, 400);
}

export function editResponse(outcome: EditOutcome, successStatus = 200): Response {
  return outcome.ok ? jsonResponse({ id: outcome.id }, successStatus) : jsonResponse({ errors: outcome.errors }, outcome.status);
}
