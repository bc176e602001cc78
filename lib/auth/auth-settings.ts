import path from 'node:path';
import { parseTrustedProxies, type TrustedProxies } from './client-address';

export type AuthSettings = {
  enabled: boolean;
  /** From CAMDASH_PASSWORD; otherwise a generated one, kept hashed in the data directory. */
  password: string | undefined;
  dataDir: string;
  sessionMs: number;
  /** CAMDASH_TRUSTED_PROXIES: whose X-Forwarded-For names the client, for the login limiter. */
  trustedProxies: TrustedProxies;
};

const DEFAULT_SESSION_DAYS = 30;

export function authSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AuthSettings {
  const days = Number(env.CAMDASH_SESSION_DAYS);
  return {
    enabled: (env.CAMDASH_AUTH ?? '').trim().toLowerCase() !== 'off',
    password: env.CAMDASH_PASSWORD || undefined,
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.CAMDASH_DATA_DIR || 'data'),
    sessionMs: (Number.isFinite(days) && days > 0 ? days : DEFAULT_SESSION_DAYS) * 24 * 60 * 60_000,
    trustedProxies: parseTrustedProxies(env.CAMDASH_TRUSTED_PROXIES),
  };
}
