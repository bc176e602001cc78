import { redactUrlCredentials } from './ffmpeg/redact';

type Level = 'info' | 'warn' | 'error';

/** One line per event, URL credentials redacted whatever the caller passed in. */
export function log(level: Level, message: string): void {
  const line = `${new Date().toISOString()} ${level.padEnd(5)} camdash: ${redactUrlCredentials(message)}`;
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
