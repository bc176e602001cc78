import { jsonResponse } from '../http/no-store';
import { crossSiteRefused, isSameOrigin } from '../http/same-origin';
import { getAuth } from './auth';
import { requestHasSession } from './request-credentials';

/**
 * The handler's own check before it changes anything, behind the proxy's: a route must not become
 * writable because a matcher was edited. Undefined when the request may go on.
 */
export async function refuseUnlessSignedIn(request: Request): Promise<Response | undefined> {
  if (!isSameOrigin(request)) return crossSiteRefused();
  const auth = await getAuth();
  if (auth.enabled && !requestHasSession(request, auth)) return jsonResponse({ error: 'log in first' }, 401);
  return undefined;
}
