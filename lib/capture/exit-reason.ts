/** How an ffmpeg run ended, in words a user can act on. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `ffmpeg was stopped by ${signal}`;
  if (code === 0) return 'the stream ended';
  return `ffmpeg exited with code ${code ?? 'unknown'}`;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]*[^\s'":,.;)]/gi;

/**
 * A stderr line made fit to show in the UI and the API: ffmpeg prefixes its errors with the input
 * URL, and no source URL leaves the server, not even with its password redacted.
 */
export function withoutUrls(line: string): string {
  return line
    .replace(URL_IN_TEXT, 'the source')
    .replace(/^the source:\s*/, '')
    .trim();
}
