import path from 'node:path';
import { authSettingsFromEnv } from '../auth/auth-settings';
import type { RetentionLimits } from './event-store';

export const EVENTS_FILE_NAME = 'events.sqlite';

/** About a month of events; a full-size snapshot each (a few hundred KB at 1080p) bounds the file to a couple of GB. */
export const DEFAULT_RETENTION: RetentionLimits = { maxAgeDays: 30, maxEvents: 5_000 };

export type EventSettings = {
  file: string;
  limits: RetentionLimits;
  /** Settings that were not understood, each naming its variable; the default is used for them. */
  problems: string[];
};

/** Where events are kept (the data directory, as for logging in) and for how long, from the environment. */
export function eventSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): EventSettings {
  const problems: string[] = [];
  const positive = (name: string, fallback: number, whole: boolean): number => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (Number.isFinite(value) && value > 0 && (!whole || Number.isSafeInteger(value))) return value;
    problems.push(`${name}: must be a positive ${whole ? 'whole ' : ''}number (got "${text}"); using ${fallback}`);
    return fallback;
  };
  return {
    // The data directory is decided in one place, with the login's files.
    file: path.join(/*turbopackIgnore: true*/ authSettingsFromEnv(env).dataDir, EVENTS_FILE_NAME),
    limits: {
      maxAgeDays: positive('CAMDASH_EVENTS_DAYS', DEFAULT_RETENTION.maxAgeDays, false),
      maxEvents: positive('CAMDASH_EVENTS_MAX', DEFAULT_RETENTION.maxEvents, true),
    },
    problems,
  };
}
