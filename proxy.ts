import { NextResponse, type NextRequest } from 'next/server';
import { decideAccess } from '@/lib/auth/access';
import { getAuth } from '@/lib/auth/auth';
import { isSameOrigin, requestHasCameraCredential, requestHasSession } from '@/lib/auth/request-credentials';

/**
 * The one gate in front of every page and API route: a session, or for a camera's stream and
 * snapshot a token or HTTP Basic auth; cross-site requests that change something are refused.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const url = request.nextUrl;
  // Next would fail decoding such a path into route params, with a 500.
  if (!isDecodable(url.pathname)) return NextResponse.json({ error: 'malformed URL encoding in the path' }, { status: 400 });
  const auth = await getAuth();
  const hasSession = requestHasSession(request, auth);
  const decision = decideAccess({
    method: request.method,
    pathname: url.pathname,
    authEnabled: auth.enabled,
    sameOrigin: isSameOrigin(request),
    hasSession,
    hasCameraCredential: !hasSession && auth.enabled && (await requestHasCameraCredential(request, url, auth)),
  });
  switch (decision.action) {
    case 'allow':
      return NextResponse.next();
    case 'forbid':
      return NextResponse.json({ error: decision.reason }, { status: 403 });
    case 'unauthorized':
      return NextResponse.json(
        { error: 'log in first' },
        { status: 401, headers: decision.basicChallenge ? { 'WWW-Authenticate': 'Basic realm="camdash", charset="UTF-8"' } : {} },
      );
    case 'login': {
      const login = new URL('/login', request.url);
      if (url.pathname !== '/') login.searchParams.set('next', `${url.pathname}${url.search}`);
      return NextResponse.redirect(login, 303);
    }
  }
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // Static assets are public and many; everything else passes the gate.
  matcher: ['/((?!_next/static|_next/image|icon.svg|favicon.ico).*)'],
};
