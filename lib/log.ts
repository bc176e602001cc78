import pino, { type Logger } from 'pino';
import { redactUrlCredentials } from './ffmpeg/redact';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Context of an event: the camera it is about, and anything else worth a field of its own. */
export type LogFields = { camera?: string; [field: string]: unknown };

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

// One JSON line per event (pino, synchronous to stdout, so that the last lines before an exit are
// not lost): easy to grep, and to ship to Loki or journald. CAMDASH_LOG_LEVEL sets the level.
const LOGGER_KEY = Symbol.for('camdash.logger');
type GlobalWithLogger = typeof globalThis & { [LOGGER_KEY]?: Logger };

function logger(): Logger {
  const holder = globalThis as GlobalWithLogger;
  const wanted = (process.env.CAMDASH_LOG_LEVEL ?? 'info').trim().toLowerCase();
  holder[LOGGER_KEY] ??= pino({
    level: LEVELS.has(wanted) ? wanted : 'info',
    base: { app: 'camdash' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  return holder[LOGGER_KEY];
}

/** Logs one event. Credentials in URLs are redacted, in the message and in string fields, whatever the caller passed. */
export function log(level: Level, message: string, fields: LogFields = {}): void {
  const safeFields = Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, typeof value === 'string' ? redactUrlCredentials(value) : value]),
  );
  logger()[level](safeFields, redactUrlCredentials(message));
}
