import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LoginLimiter, LOGIN_POLICY } from '@/lib/auth/login-limiter';
import { hashPassword, verifyPassword } from '@/lib/auth/password-hash';
import { cameraToken, decodeSession, encodeSession, isCameraToken } from '@/lib/auth/signed-token';

const secret = randomBytes(32);
const NOW = 1_800_000_000_000;

describe('password hashing', () => {
  it('verifies the right password only, and keeps no trace of it in the hash', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain('correct');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct hors', stored)).toBe(false);
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(stored); // salted
  });
});

describe('session cookie', () => {
  const cookie = encodeSession({ expiresAt: NOW + 60_000, epoch: 'e1' }, secret);

  it('holds while signed, unexpired and of the current password', () => {
    expect(decodeSession(cookie, secret, 'e1', NOW)).toEqual({ expiresAt: NOW + 60_000, epoch: 'e1' });
    expect(decodeSession(cookie, secret, 'e1', NOW + 60_000)).toBeUndefined();
    expect(decodeSession(cookie, secret, 'e2', NOW)).toBeUndefined();
    expect(decodeSession(cookie, randomBytes(32), 'e1', NOW)).toBeUndefined();
  });

  it('rejects any tampering', () => {
    const [payload, signature] = cookie.split('.') as [string, string];
    const lastChanged = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    const forged = Buffer.from(JSON.stringify({ e: NOW + 10 ** 12, p: 'e1' })).toString('base64url');
    for (const bad of [`${forged}.${signature}`, `${payload}.${lastChanged}`, `${payload}.`, payload, `${cookie}.x`, '', 'a'.repeat(5_000)]) {
      expect(decodeSession(bad, secret, 'e1', NOW), bad.slice(0, 40)).toBeUndefined();
    }
  });
});

describe('camera tokens', () => {
  it('open one camera only, and change with the password', () => {
    const token = cameraToken('door', secret, 'e1');
    expect(isCameraToken(token, 'door', secret, 'e1')).toBe(true);
    expect(isCameraToken(token, 'yard', secret, 'e1')).toBe(false);
    expect(isCameraToken(token, 'door', secret, 'e2')).toBe(false);
    expect(isCameraToken(null, 'door', secret, 'e1')).toBe(false);
  });
});

describe('login limiter', () => {
  it('allows a few failures, then locks out for longer and longer, and forgets after a success', () => {
    const limiter = new LoginLimiter();
    for (let attempt = 1; attempt < LOGIN_POLICY.freeFailures; attempt += 1) {
      limiter.recordFailure('1.2.3.4', NOW);
      expect(limiter.retryAfterMs('1.2.3.4', NOW)).toBe(0);
    }
    limiter.recordFailure('1.2.3.4', NOW);
    expect(limiter.retryAfterMs('1.2.3.4', NOW)).toBe(LOGIN_POLICY.firstLockMs);
    expect(limiter.retryAfterMs('5.6.7.8', NOW)).toBe(0);
    limiter.recordFailure('1.2.3.4', NOW);
    expect(limiter.retryAfterMs('1.2.3.4', NOW)).toBe(2 * LOGIN_POLICY.firstLockMs);
    for (let more = 0; more < 30; more += 1) limiter.recordFailure('1.2.3.4', NOW);
    expect(limiter.retryAfterMs('1.2.3.4', NOW)).toBe(LOGIN_POLICY.maxLockMs);
    limiter.recordSuccess('1.2.3.4');
    expect(limiter.retryAfterMs('1.2.3.4', NOW)).toBe(0);
  });

  it('stays bounded in memory however many clients fail', () => {
    const limiter = new LoginLimiter({ ...LOGIN_POLICY, maxClients: 100 });
    for (let client = 0; client < 1_000; client += 1) limiter.recordFailure(`client-${client}`, NOW);
    expect((limiter as unknown as { clients: Map<string, unknown> }).clients.size).toBe(100);
  });
});
