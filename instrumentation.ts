// Runs once when the server starts: find ffmpeg and read cameras.json now, so that problems show
// in the log at start-up rather than on the first page view, and signals are handled from the start.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getCamdash } = await import('./lib/server/camdash');
    await getCamdash();
  }
}
