import { safeNextPath } from '@/lib/auth/access';
import { getAuth } from '@/lib/auth/auth';
import { clientKey } from '@/lib/auth/request-credentials';
import { sessionCookieHeader } from '@/lib/auth/session-cookie-header';
import { NO_STORE_HEADERS } from '@/lib/http/no-store';

type Attempt = { password: string; next: string; fromForm: boolean };

/**
 * POST /api/login — JSON `{ "password": "…" }`, or the login page's form (works without
 * JavaScript). Sets the session cookie; repeated failures lock the client out for a while.
 */
export async function POST(request: Request): Promise<Response> {
  const attempt = await readAttempt(request);
  if (!attempt) return reply(request, { fromForm: false, next: '/' }, 400, { error: 'send {"password": "…"} as JSON, or a form field "password"' });
  const auth = await getAuth();
  const client = clientKey(request, auth.trustedProxies);
  const now = Date.now();
  const waitMs = auth.limiter.retryAfterMs(client, now);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    return reply(request, attempt, 429, { error: `too many failed logins: try again in ${seconds} s` }, { 'Retry-After': String(seconds) }, `locked&retry=${seconds}`);
  }
  if (!(await auth.checkPassword(attempt.password))) {
    auth.limiter.recordFailure(client, now);
    return reply(request, attempt, 401, { error: 'wrong password' }, {}, 'wrong');
  }
  auth.limiter.recordSuccess(client);
  const cookie = sessionCookieHeader(request, auth.newSessionCookie(now), auth.sessionMs);
  return reply(request, attempt, 200, { ok: true }, { 'Set-Cookie': cookie });
}

async function readAttempt(request: Request): Promise<Attempt | undefined> {
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.includes('application/json')) {
      const body = (await request.json()) as { password?: unknown; next?: unknown };
      if (typeof body.password !== 'string') return undefined;
      return { password: body.password, next: safeNextPath(typeof body.next === 'string' ? body.next : '/'), fromForm: false };
    }
    const form = await request.formData();
    const password = form.get('password');
    if (typeof password !== 'string') return undefined;
    const next = form.get('next');
    return { password, next: safeNextPath(typeof next === 'string' ? next : '/'), fromForm: true };
  } catch {
    return undefined;
  }
}

/** JSON for scripts; for the form, a redirect back to the page, or to the login page with the error. */
function reply(_request: Request, attempt: Pick<Attempt, 'fromForm' | 'next'>, status: number, body: object, headers: Record<string, string> = {}, error?: string): Response {
  if (!attempt.fromForm) return Response.json(body, { status, headers: { ...NO_STORE_HEADERS, ...headers } });
  const target = status === 200 ? attempt.next : `/login?error=${error ?? 'invalid'}&next=${encodeURIComponent(attempt.next)}`;
  return new Response(null, { status: 303, headers: { ...NO_STORE_HEADERS, ...headers, Location: target } });
}
