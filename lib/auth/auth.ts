import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../config/write-atomically';
import { log } from '../log';
import { authSettingsFromEnv, type AuthSettings } from './auth-settings';
import { hashPassword, verifyPassword } from './password-hash';
import { LoginGuard } from './login-limiter';
import { cameraToken, decodeSession, encodeSession, isCameraToken } from './signed-token';
import type { TrustedProxies } from './client-address';

export const SESSION_COOKIE = 'camdash_session';

/** What is kept in <data dir>/auth.json: never a password, only its hash and the signing key. */
type StoredAuth = { passwordHash?: string; sessionSecret: string };

export type Auth = {
  enabled: boolean;
  sessionMs: number;
  checkPassword(password: string): Promise<boolean>;
  newSessionCookie(now: number): string;
  hasSession(cookie: string | undefined, now: number): boolean;
  cameraToken(cameraId: string): string;
  isCameraToken(token: string | null, cameraId: string): boolean;
  limiter: LoginGuard;
  trustedProxies: TrustedProxies;
};

// One per process, shared by the proxy, the route handlers and instrumentation (separate module
// instances under Next), like the capture registry.
const AUTH_KEY = Symbol.for('camdash.auth');
type GlobalWithAuth = typeof globalThis & { [AUTH_KEY]?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  if (process.env.NEXT_PHASE === 'phase-production-build') {
    throw new Error('logging in is set up when the server starts, not during the build');
  }
  const holder = globalThis as GlobalWithAuth;
  holder[AUTH_KEY] ??= createAuth(authSettingsFromEnv());
  return holder[AUTH_KEY];
}

async function createAuth(settings: AuthSettings): Promise<Auth> {
  const limiter = new LoginGuard();
  if (!settings.enabled) {
    log('warn', 'auth: OFF (CAMDASH_AUTH=off): anybody who can reach this server can watch every camera');
    return {
      enabled: false,
      sessionMs: settings.sessionMs,
      checkPassword: async () => true,
      newSessionCookie: () => '',
      hasSession: () => true,
      cameraToken: () => '',
      isCameraToken: () => true,
      limiter,
      trustedProxies: settings.trustedProxies,
    };
  }

  const stored = await loadOrCreateStore(settings);
  const secret = Buffer.from(stored.sessionSecret, 'base64url');
  const passwordHash = settings.password ? await hashPassword(settings.password) : stored.passwordHash!;
  // Sessions and camera tokens are bound to the password: changing it signs everybody out.
  const epoch = createHash('sha256').update(settings.password ?? passwordHash).update(secret).digest('base64url').slice(0, 12);
  return {
    enabled: true,
    sessionMs: settings.sessionMs,
    checkPassword: (password) => verifyPassword(password, passwordHash),
    newSessionCookie: (now) => encodeSession({ expiresAt: now + settings.sessionMs, epoch }, secret),
    hasSession: (cookie, now) => decodeSession(cookie, secret, epoch, now) !== undefined,
    cameraToken: (cameraId) => cameraToken(cameraId, secret, epoch),
    isCameraToken: (token, cameraId) => isCameraToken(token, cameraId, secret, epoch),
    limiter,
    trustedProxies: settings.trustedProxies,
  };
}

async function loadOrCreateStore(settings: AuthSettings): Promise<StoredAuth> {
  const file = path.join(settings.dataDir, 'auth.json');
  const existing = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as StoredAuth,
    () => undefined,
  );
  if (existing?.sessionSecret && (existing.passwordHash || settings.password)) return existing;

  const store: StoredAuth = { sessionSecret: existing?.sessionSecret ?? randomBytes(32).toString('base64url') };
  let generated: string | undefined;
  if (!settings.password) {
    generated = randomBytes(12).toString('base64url');
    store.passwordHash = await hashPassword(generated);
  }
  await mkdir(settings.dataDir, { recursive: true, mode: 0o700 });
  await writeAtomically(file, `${JSON.stringify(store, null, 2)}\n`);
  await chmod(file, 0o600);
  if (generated) {
    // Printed once, to the console only (not to the log file of a later run): it is not kept anywhere.
    console.log(
      [
        '',
        '  camdash: a password was generated for the dashboard (shown only this once):',
        '',
        `      ${generated}`,
        '',
        `  Its hash is in ${file}. To choose your own, set CAMDASH_PASSWORD, or delete that file`,
        '  and restart for a new one. CAMDASH_AUTH=off turns logging in off (not recommended).',
        '',
      ].join('\n'),
    );
  }
  return store;
}
