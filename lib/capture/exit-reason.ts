import type { SourceKind } from '../config/source';

/** Why a capture run failed, in the few kinds a user can act on. */
export type FailureKind =
  | 'unreachable'
  | 'refused'
  | 'timed out'
  | 'authentication failed'
  | 'not a video stream'
  | 'not found'
  | 'ended'
  | 'disconnected'
  | 'failed';

export type Failure = { kind: FailureKind; reason: string };

// Ordered: the first pattern that matches any of the last lines wins.
const PATTERNS: [FailureKind, RegExp][] = [
  ['authentication failed', /\b401\b|unauthori[sz]ed|authentication|\b403\b|forbidden/i],
  ['refused', /connection refused|\bECONNREFUSED\b/i],
  ['timed out', /timed? ?out|\bETIMEDOUT\b/i],
  ['unreachable', /no route to host|network is unreachable|name or service not known|could not resolve|temporary failure in name resolution|host is down|failed to resolve/i],
  ['not found', /\b404\b|no such file or directory|not found/i],
  ['not a video stream', /invalid data found|does not contain any stream|could not find codec parameters|no video stream|output file #0 does not contain|unknown input format/i],
];

/**
 * Classifies a failed run from ffmpeg's exit and its last stderr lines. The reason carries no URL:
 * ffmpeg prefixes errors with the input URL, and no source URL leaves the server.
 */
export function classifyFailure(exitDescription: string, stderrLines: readonly string[], exitCode: number | null, source?: SourceKind): Failure {
  const lines = stderrLines.map(withoutUrls).filter(Boolean);
  const last = lines.at(-1);
  for (const [kind, pattern] of PATTERNS) {
    const line = [...lines].reverse().find((candidate) => pattern.test(candidate));
    if (line) return { kind, reason: `${kind}: ${line}` };
  }
  if (exitCode === 0) return endOfInput(source);
  return { kind: 'failed', reason: last ? `${exitDescription}: ${last}` : exitDescription };
}

/**
 * ffmpeg exits cleanly when its input ends. A network camera has no end: it went away (rebooted,
 * unplugged, its server stopped) and closed the connection as it did, so it is not "ended".
 */
function endOfInput(source: SourceKind | undefined): Failure {
  if (source === 'rtsp' || source === 'http') return { kind: 'disconnected', reason: 'disconnected: the camera closed the stream' };
  return { kind: 'ended', reason: 'ended: the source stopped sending video' };
}

/** How an ffmpeg run ended, in words. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `ffmpeg was stopped by ${signal}`;
  if (code === 0) return 'the stream ended';
  return `ffmpeg exited with code ${code ?? 'unknown'}`;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]*[^\s'":,.;)]/gi;

/** A stderr line fit to show in the UI and the API: URLs, even redacted ones, replaced. */
export function withoutUrls(line: string): string {
  return line
    .replace(URL_IN_TEXT, 'the source')
    .replace(/^the source:\s*/, '')
    .replace(/^\[[a-z0-9_ ]+ @ 0x[0-9a-f]+\]\s*/i, '')
    .trim();
}
