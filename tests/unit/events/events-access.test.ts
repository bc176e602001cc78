import { describe, expect, it } from 'vitest';
import { decideAccess, type AccessFacts } from '@/lib/auth/access';

const facts = (overrides: Partial<AccessFacts>): AccessFacts => ({
  method: 'GET',
  pathname: '/',
  authEnabled: true,
  sameOrigin: true,
  hasSession: false,
  hasCameraCredential: false,
  ...overrides,
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
