/**
 * Who may see what, decided in one place for every request (proxy.ts), from facts the caller
 * gathers. Pure: each rule is unit-tested without a server.
 */

export type AccessFacts = {
  method: string;
  pathname: string;
  authEnabled: boolean;
  sameOrigin: boolean;
  hasSession: boolean;
  /** For a camera's stream or snapshot: a valid ?token= or HTTP Basic password for it. */
  hasCameraCredential: boolean;
};

export type AccessDecision =
  | { action: 'allow' }
  | { action: 'forbid'; reason: string }
  | { action: 'login' } // a page: send the browser to the login page
  | { action: 'unauthorized'; basicChallenge: boolean }; // an API: 401

/** Reachable without logging in: the login page itself, its assets, and the health check. */
const PUBLIC = [/^\/login\/?$/, /^\/api\/login\/?$/, /^\/api\/health\/?$/, /^\/_next\/static\//, /^\/icon\.svg$/, /^\/favicon\.ico$/];

/** What external players open: a camera's MJPEG stream and its snapshot. */
export const CAMERA_MEDIA = /^\/api\/cameras\/([^/]+)\/(stream|snapshot)\/?$/;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function decideAccess(facts: AccessFacts): AccessDecision {
  // Whether or not logging in is on, another site's page must not change anything through a visitor's browser.
  if (!SAFE_METHODS.has(facts.method) && !facts.sameOrigin) return { action: 'forbid', reason: 'cross-site request refused' };
  if (!facts.authEnabled || facts.hasSession) return { action: 'allow' };
  if (PUBLIC.some((pattern) => pattern.test(facts.pathname))) return { action: 'allow' };
  const media = CAMERA_MEDIA.test(facts.pathname);
  if (media && facts.hasCameraCredential && SAFE_METHODS.has(facts.method)) return { action: 'allow' };
  if (facts.pathname.startsWith('/api/')) return { action: 'unauthorized', basicChallenge: media };
  return { action: 'login' };
}

/** Where to go after logging in: only a path on this site, never another origin. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next.length > 2_000 ? '/' : next;
}
