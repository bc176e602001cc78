import { jsonResponse } from './no-store';

/**
 * Whether a state-changing request comes from camdash's own pages. Browsers say where a request
 * comes from (Sec-Fetch-Site; Origin on older ones); another site's page must not be able to add,
 * change or remove cameras through a visitor's browser.
 */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = request.headers.get('origin');
  if (!origin) return true; // not a browser (curl, scripts): nothing to forge
  try {
    return new URL(origin).host === request.headers.get('host');
  } catch {
    return false;
  }
}

export function crossSiteRefused(): Response {
  return jsonResponse({ error: 'cross-site request refused' }, 403);
}
