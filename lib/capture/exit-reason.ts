/** How an ffmpeg run ended, in words a user can act on. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `ffmpeg was stopped by ${signal}`;
  if (code === 0) return 'the stream ended';
  return `ffmpeg exited with code ${code ?? 'unknown'}`;
}
