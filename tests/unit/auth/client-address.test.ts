import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from '@/lib/auth/client-address';

const byDefault = parseTrustedProxies(undefined);

describe('the client a request comes from', () => {
  it('is the connection itself when it does not come from a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.5', '10.0.0.1', byDefault)).toBe('203.0.113.5');
    expect(clientAddress('::ffff:203.0.113.5', null, byDefault)).toBe('203.0.113.5');
  });

  it('is the hop a proxy on this machine appended, not what its client wrote before it', () => {
    expect(clientAddress('127.0.0.1', 'forged-1, 198.51.100.7', byDefault)).toBe('198.51.100.7');
    expect(clientAddress('::1', '198.51.100.7', byDefault)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.7', byDefault)).toBe('198.51.100.7');
  });

  it('skips every trusted proxy of a chain, and falls back to the connection without a header', () => {
    const trusted = parseTrustedProxies('loopback, 10.0.0.2');
    expect(clientAddress('127.0.0.1', '198.51.100.7, 10.0.0.2', trusted)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', null, trusted)).toBe('127.0.0.1');
  });

  it('trusts no one with "none", not even loopback', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.7', parseTrustedProxies('none'))).toBe('127.0.0.1');
  });

  it('is unknown without a connection', () => {
    expect(clientAddress(undefined, '198.51.100.7', byDefault)).toBeUndefined();
  });

  it('keeps a key of bounded length from a header of any length', () => {
    expect(clientAddress('127.0.0.1', 'x'.repeat(10_000), byDefault)!.length).toBeLessThanOrEqual(64);
  });
});
