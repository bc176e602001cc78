import { createHash } from 'node:crypto';
import { isSameOrigin } from '../http/same-origin';
import { currentRequestSocket } from '../server/request-context';
import { clientAddress, type TrustedProxies } from './client-address';
import { CAMERA_MEDIA } from './access';
import { SESSION_COOKIE, type Auth } from './auth';

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function requestHasSession(request: Request, auth: Auth, now = Date.now()): boolean {
  return auth.hasSession(cookieValue(request.headers.get('cookie'), SESSION_COOKIE), now);
}

// A player sends Basic credentials with every request, and scrypt is deliberately slow: a password
// that was right is remembered (by its hash) for a few minutes.
const BASIC_CACHE_MS = 5 * 60_000;
const basicCache = new Map<string, number>();

/** A valid ?token= for the camera, or the dashboard password as HTTP Basic (any user name). */
export async function requestHasCameraCredential(request: Request, url: URL, auth: Auth): Promise<boolean> {
  const cameraId = CAMERA_MEDIA.exec(url.pathname)?.[1];
  if (!cameraId) return false;
  if (auth.isCameraToken(url.searchParams.get('token'), safeDecode(cameraId))) return true;
  const header = request.headers.get('authorization');
  if (!header?.toLowerCase().startsWith('basic ')) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  const key = createHash('sha256').update(password).digest('base64url');
  const now = Date.now();
  if ((basicCache.get(key) ?? 0) > now) return true;
  const client = clientKey(request, auth.trustedProxies);
  if (auth.limiter.retryAfterMs(client, now) > 0) return false;
  if (!(await auth.checkPassword(password))) {
    auth.limiter.recordFailure(client, now);
    return false;
  }
  if (basicCache.size > 1_000) basicCache.clear();
  basicCache.set(key, now + BASIC_CACHE_MS);
  return true;
}

/**
 * Who a request comes from, for rate limiting: the address of the connection, read from the socket,
 * or the client a trusted proxy names. Not X-Forwarded-For as Next passes it: Next keeps one the
 * client sent itself, so anybody could pose as a new client with every guess.
 */
export function clientKey(request: Request, trustedProxies: TrustedProxies): string {
  return clientAddress(currentRequestSocket()?.remoteAddress, request.headers.get('x-forwarded-for'), trustedProxies) ?? 'unknown';
}

export { isSameOrigin };

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
