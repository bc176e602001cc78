import { describe, expect, it } from 'vitest';
import { decideAccess, safeNextPath, type AccessFacts } from '@/lib/auth/access';

const facts = (overrides: Partial<AccessFacts>): AccessFacts => ({
  method: 'GET',
  pathname: '/',
  authEnabled: true,
  sameOrigin: true,
  hasSession: false,
  hasCameraCredential: false,
  ...overrides,
});

describe('who may see what', () => {
  it('sends a visitor without a session to the login page, and answers APIs with 401', () => {
    for (const pathname of ['/', '/cameras/door', '/cameras/%2e%2e', '/anything']) expect(decideAccess(facts({ pathname }))).toEqual({ action: 'login' });
    for (const pathname of ['/api/cameras', '/api/grid/stream', '/api/cameras/door/settings', '/api/probe']) {
      expect(decideAccess(facts({ pathname }))).toEqual({ action: 'unauthorized', basicChallenge: false });
    }
    expect(decideAccess(facts({ pathname: '/api/cameras/door/stream' }))).toEqual({ action: 'unauthorized', basicChallenge: true });
  });

  it('lets the login page, its assets and the health check through', () => {
    for (const pathname of ['/login', '/api/login', '/api/health', '/_next/static/chunks/app.js', '/icon.svg']) {
      expect(decideAccess(facts({ pathname, method: pathname === '/api/login' ? 'POST' : 'GET' }))).toEqual({ action: 'allow' });
    }
    for (const pathname of ['/login/../api/cameras', '/api/health/../cameras', '/loginx', '/_next/data/x']) {
      expect(decideAccess(facts({ pathname })).action, pathname).not.toBe('allow');
    }
  });

  it('lets a session through everywhere, and a camera credential only to that camera media, read-only', () => {
    expect(decideAccess(facts({ hasSession: true, pathname: '/api/cameras' }))).toEqual({ action: 'allow' });
    expect(decideAccess(facts({ hasCameraCredential: true, pathname: '/api/cameras/door/snapshot' }))).toEqual({ action: 'allow' });
    expect(decideAccess(facts({ hasCameraCredential: true, pathname: '/api/cameras/door' }))).toMatchObject({ action: 'unauthorized' });
    expect(decideAccess(facts({ hasCameraCredential: true, pathname: '/api/cameras/door/stream', method: 'DELETE' }))).toMatchObject({ action: 'unauthorized' });
  });

  it('refuses cross-site requests that change something, signed in or not, auth on or off', () => {
    for (const authEnabled of [true, false]) {
      expect(decideAccess(facts({ authEnabled, hasSession: true, method: 'POST', pathname: '/api/cameras', sameOrigin: false }))).toMatchObject({ action: 'forbid' });
    }
    expect(decideAccess(facts({ method: 'POST', pathname: '/api/login', sameOrigin: false }))).toMatchObject({ action: 'forbid' });
    expect(decideAccess(facts({ hasSession: true, sameOrigin: false }))).toEqual({ action: 'allow' }); // a link from elsewhere
  });

  it('lets everything through when logging in is off', () => {
    expect(decideAccess(facts({ authEnabled: false, pathname: '/api/cameras' }))).toEqual({ action: 'allow' });
  });

  it('returns after login only to a path on this site', () => {
    expect(safeNextPath('/cameras/door?x=1')).toBe('/cameras/door?x=1');
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', '', null]) expect(safeNextPath(next)).toBe('/');
  });
});

// proxy.ts runs decideAccess for every path but static assets; the events' paths must need a login.
describe('the events behind the login', () => {
  it('sends a visitor without a session from the events page to the login page', () => {
    for (const pathname of ['/events', '/events/', '/events?camera=door']) expect(decideAccess(facts({ pathname }))).toEqual({ action: 'login' });
  });

  it('answers the events API with 401 without a session, even with a camera token or password', () => {
    for (const pathname of ['/api/events', '/api/events/1', '/api/events/1/snapshot', '/api/events/x/snapshot/']) {
      for (const hasCameraCredential of [false, true]) {
        expect(decideAccess(facts({ pathname, hasCameraCredential })), pathname).toEqual({ action: 'unauthorized', basicChallenge: false });
      }
    }
  });

  it('lets a session through', () => {
    for (const pathname of ['/events', '/api/events', '/api/events/1/snapshot']) expect(decideAccess(facts({ pathname, hasSession: true }))).toEqual({ action: 'allow' });
  });
});

// The recordings' API (issue 19) is behind the login like the events': footage shows what the cameras saw.
describe('the recordings behind the login', () => {
  const RECORDINGS = ['/api/recordings/door', '/api/recordings/door/', '/api/recordings/door/media', '/api/recordings/door/export.mp4', '/api/recordings/x/media/'];

  it('answers the recordings API with 401 without a session, even with the camera’s token or password', () => {
    for (const pathname of RECORDINGS) {
      for (const hasCameraCredential of [false, true]) {
        expect(decideAccess(facts({ pathname, hasCameraCredential })), pathname).toEqual({ action: 'unauthorized', basicChallenge: false });
      }
    }
  });

  it('lets a session through', () => {
    for (const pathname of RECORDINGS) expect(decideAccess(facts({ pathname, hasSession: true })), pathname).toEqual({ action: 'allow' });
  });
});
