import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorization, parseAuthenticate, pickChallenge, type AuthChallenge } from '@/lib/rtsp/rtsp-auth';
import { RtspError } from '@/lib/rtsp/rtsp-error';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

// RFC 2617 §3.5, unfolded as a header parser hands it over.
const RFC2617_CHALLENGE =
  'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

// RFC 7616 §3.9.1: the same challenge with SHA-256 first, then MD5, in the server's order of preference.
const rfc7616Challenge = (algorithm: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
const RFC7616_CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

const responseOf = (header: string) => /response="([0-9a-f]+)"/.exec(header)?.[1];

describe('parseAuthenticate', () => {
  it('reads a Digest challenge with quoted values, a qop list and an opaque', () => {
    expect(parseAuthenticate([RFC2617_CHALLENGE])).toEqual([
      { scheme: 'digest', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', opaque: '5ccc069c403ebaf9f0171e9517f40e41', qop: ['auth', 'auth-int'] },
    ]);
  });

  it('reads one challenge per header and several in one, keeping commas and escapes inside quotes', () => {
    const challenges = parseAuthenticate([
      'Digest realm="Cam, Lobby \\"A\\"", nonce="n1", algorithm=MD5, stale=TRUE',
      'Basic realm="Cam, Lobby", Digest realm=x, nonce=n2',
      'Negotiate abc==',
      'Bearer realm="api"',
      'Digest realm="no nonce"',
    ]);
    expect(challenges).toEqual([
      { scheme: 'digest', realm: 'Cam, Lobby "A"', nonce: 'n1', algorithm: 'MD5', stale: true },
      { scheme: 'basic', realm: 'Cam, Lobby' },
      { scheme: 'digest', realm: 'x', nonce: 'n2' },
    ]);
  });

  it('reads scheme and parameter names in any case', () => {
    expect(parseAuthenticate(['DIGEST REALM="r", Nonce="n", QOP="Auth"'])).toEqual([{ scheme: 'digest', realm: 'r', nonce: 'n', qop: ['auth'] }]);
  });
});

describe('pickChallenge', () => {
  const basic: AuthChallenge = { scheme: 'basic', realm: 'cam' };
  const digest = (extra: Partial<AuthChallenge> = {}): AuthChallenge => ({ scheme: 'digest', realm: 'cam', nonce: 'n', ...extra });

  it('prefers Digest to Basic whatever the order', () => {
    expect(pickChallenge([basic, digest()])).toEqual(digest());
  });

  it("takes the first Digest it can compute, in the server's order", () => {
    const [sha256, md5Challenge] = parseAuthenticate([rfc7616Challenge('SHA-256'), rfc7616Challenge('MD5')]);
    expect(pickChallenge([sha256!, md5Challenge!])?.algorithm).toBe('SHA-256');
    expect(pickChallenge([digest({ algorithm: 'SHA-512-256' }), digest({ algorithm: 'md5' })])?.algorithm).toBe('md5');
  });

  it('falls back to Basic when no Digest is computable, and to nothing without challenges', () => {
    expect(pickChallenge([digest({ algorithm: 'MD5-sess' }), digest({ qop: ['auth-int'] }), basic])).toBe(basic);
    expect(pickChallenge([digest({ algorithm: 'SHA-512-256' })])).toBeUndefined();
    expect(pickChallenge([])).toBeUndefined();
  });
});

describe('authorization', () => {
  it('answers the RFC 2617 §3.5 example with its published response', () => {
    const [challenge] = parseAuthenticate([RFC2617_CHALLENGE]);
    const header = authorization(challenge!, { username: 'Mufasa', password: 'Circle Of Life' }, 'GET', '/dir/index.html', 1, '0a4f113b');
    expect(header).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
        'response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001, cnonce="0a4f113b"',
    );
  });

  it('answers the RFC 7616 §3.9.1 examples, SHA-256 and MD5, echoing the algorithm', () => {
    const credentials = { username: 'Mufasa', password: 'Circle of Life' };
    const [sha256, md5Challenge] = parseAuthenticate([rfc7616Challenge('SHA-256'), rfc7616Challenge('MD5')]);
    const sha256Header = authorization(sha256!, credentials, 'GET', '/dir/index.html', 1, RFC7616_CNONCE);
    expect(responseOf(sha256Header)).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(sha256Header).toContain(', algorithm=SHA-256, ');
    expect(responseOf(authorization(md5Challenge!, credentials, 'GET', '/dir/index.html', 1, RFC7616_CNONCE))).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('answers a camera Digest without qop in the RFC 2069 form, over the RTSP URL as sent', () => {
    const [challenge] = parseAuthenticate(['Digest realm="IP Camera(C6464)", nonce="1f0a47e7b4b4e9e4d6f2a2d1c93a3c8e", stale="FALSE"']);
    const uri = 'rtsp://192.168.1.64:554/Streaming/Channels/101';
    const ha1 = md5('admin:IP Camera(C6464):12345abc');
    const expected = md5(`${ha1}:1f0a47e7b4b4e9e4d6f2a2d1c93a3c8e:${md5(`DESCRIBE:${uri}`)}`);
    expect(authorization(challenge!, { username: 'admin', password: '12345abc' }, 'DESCRIBE', uri, 1, 'unused')).toBe(
      `Digest username="admin", realm="IP Camera(C6464)", nonce="1f0a47e7b4b4e9e4d6f2a2d1c93a3c8e", uri="${uri}", response="${expected}"`,
    );
  });

  it('counts requests on one nonce in nc, as 8 hex digits', () => {
    const [challenge] = parseAuthenticate(['Digest realm="r", nonce="n", qop="auth"']);
    const header = authorization(challenge!, { username: 'u', password: 'p' }, 'PLAY', 'rtsp://cam/live/', 0x1a, 'c');
    const expected = md5(`${md5('u:r:p')}:n:0000001a:c:auth:${md5('PLAY:rtsp://cam/live/')}`);
    expect(header).toContain(`response="${expected}"`);
    expect(header).toContain('nc=0000001a');
  });

  it('escapes quotes and backslashes in quoted values', () => {
    const header = authorization({ scheme: 'digest', realm: 'r', nonce: 'n' }, { username: 'a"b\\c', password: 'p' }, 'OPTIONS', '*', 1, 'c');
    expect(header).toContain('username="a\\"b\\\\c"');
    expect(header).toContain(`response="${md5(`${md5('a"b\\c:r:p')}:n:${md5('OPTIONS:*')}`)}"`);
  });

  it('answers Basic with base64 of user:password (RFC 2617 §2)', () => {
    expect(authorization({ scheme: 'basic', realm: 'WallyWorld' }, { username: 'Aladdin', password: 'open sesame' }, 'DESCRIBE', 'rtsp://cam/', 1, 'c')).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
  });

  it.each([
    ['an algorithm it cannot compute', { algorithm: 'MD5-sess' }, 1, /rtsp: cannot answer the Digest challenge of realm "r": algorithm MD5-sess/],
    ['qop auth-int alone', { qop: ['auth-int'] }, 1, /qop auth-int does not offer auth/],
    ['a nonce count of 0', {}, 0, /rtsp: nonce count 0 is not between 1/],
  ])('throws RtspError on %s', (_, extra, nonceCount, message) => {
    const challenge: AuthChallenge = { scheme: 'digest', realm: 'r', nonce: 'n', ...extra };
    const answer = () => authorization(challenge, { username: 'u', password: 'p' }, 'DESCRIBE', 'rtsp://cam/', nonceCount, 'c');
    expect(answer).toThrow(RtspError);
    expect(answer).toThrow(message);
  });
});
