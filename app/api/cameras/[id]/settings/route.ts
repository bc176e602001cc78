import { motionFields } from '@/lib/config/camera-form';
import { splitCredentials } from '@/lib/config/source-credentials';
import { jsonResponse, unknownCamera } from '@/lib/http/no-store';
import { camerasEditor } from '@/lib/server/camera-admin';

/**
 * GET /api/cameras/<id>/settings — the camera form's values, as written in cameras.json: the URL
 * without credentials, the user name, and only whether a password is set, never the password.
 */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const entry = await (await camerasEditor()).savedEntry((await context.params).id);
  if (!entry || typeof entry.source !== 'string') return unknownCamera();
  const { url, username, hasPassword } = splitCredentials(entry.source);
  const optional = (key: string) => (entry[key] === undefined ? {} : { [key]: entry[key] });
  return jsonResponse({ id: entry.id, name: entry.name, url, username, hasPassword, ...optional('rtspTransport'), ...optional('fps'), ...optional('width'), ...motionFields(entry.motion) });
}
