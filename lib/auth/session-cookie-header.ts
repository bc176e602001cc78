import { SESSION_COOKIE } from './auth';

/** Secure when the browser reached us over https (directly or through a proxy that says so). */
function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

export function sessionCookieHeader(request: Request, value: string, maxAgeMs: number): string {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(maxAgeMs / 1000)}`];
  if (isHttps(request)) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearedSessionCookieHeader(request: Request): string {
  return sessionCookieHeader(request, '', 0);
}
