// Runs once when the server starts: find ffmpeg, read cameras.json and set up logging in now, so that problems show
// in the log at start-up rather than on the first page view, and signals are handled from the start.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { limitUnsentBytesOfNewConnections, UNSENT_LIMIT_BYTES } = await import('./lib/server/unsent-limit');
    const { log } = await import('./lib/log');
    const limit = limitUnsentBytesOfNewConnections();
    if (limit.installed) log('info', `live streams: each connection keeps at most ${UNSENT_LIMIT_BYTES / 1024} KB unsent, so slow viewers get the newest frame`);
    else log('warn', `live streams: unsent bytes not limited, so a viewer on a slow link may fall seconds behind: ${limit.reason}`);
    const { trackRequestConnections } = await import('./lib/server/request-context');
    const { loadSendQueueProbe } = await import('./lib/server/send-queue');
    trackRequestConnections();
    const pacing = loadSendQueueProbe();
    if ('probe' in pacing) log('info', 'live streams: each frame waits for the viewer\'s link to clear, so a slow link gets the newest frame, not a queue');
    else log('warn', `live streams: not paced by the viewer's link, so a slow link may queue frames: ${pacing.missing}`);
    const { getCamdash } = await import('./lib/server/camdash');
    const { getAuth } = await import('./lib/auth/auth');
    // A generated password is printed now, where the person starting the server sees it.
    await Promise.all([getCamdash(), getAuth()]);
  }
}
