import path from 'node:path';

export type AuthSettings = {
  enabled: boolean;
  /** From CAMDASH_PASSWORD; otherwise a generated one, kept hashed in the data directory. */
  password: string | undefined;
  dataDir: string;
  sessionMs: number;
};

const DEFAULT_SESSION_DAYS = 30;

export function authSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AuthSettings {
  const days = Number(env.CAMDASH_SESSION_DAYS);
  return {
    enabled: (env.CAMDASH_AUTH ?? '').trim().toLowerCase() !== 'off',
    password: env.CAMDASH_PASSWORD || undefined,
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.CAMDASH_DATA_DIR || 'data'),
    sessionMs: (Number.isFinite(days) && days > 0 ? days : DEFAULT_SESSION_DAYS) * 24 * 60 * 60_000,
  };
}
