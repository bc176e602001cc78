import { clearedSessionCookieHeader } from '@/lib/auth/session-cookie-header';
import { NO_STORE_HEADERS } from '@/lib/http/no-store';

/** POST /api/logout — ends this browser's session (the proxy has refused cross-site requests). */
export async function POST(request: Request): Promise<Response> {
  const fromForm = !(request.headers.get('content-type') ?? '').includes('application/json');
  const headers = { ...NO_STORE_HEADERS, 'Set-Cookie': clearedSessionCookieHeader(request) };
  if (!fromForm) return Response.json({ ok: true }, { headers });
  return new Response(null, { status: 303, headers: { ...headers, Location: '/login' } });
}
