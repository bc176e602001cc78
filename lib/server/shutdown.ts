import type { CaptureRegistry } from '../capture/registry';
import { log } from '../log';

const HARD_EXIT_AFTER_MS = 5_000;
const INSTALLED = Symbol.for('camdash.shutdown-installed');

/**
 * On SIGINT/SIGTERM: stop every ffmpeg and end every stream, then exit. Next's own handler waits
 * for open responses to finish, and an MJPEG stream never does.
 */
export function installShutdownHandlers(registry: CaptureRegistry): void {
  const holder = globalThis as typeof globalThis & { [INSTALLED]?: boolean };
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;

  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('info', `${signal}: stopping cameras`);
    const hardExit = setTimeout(() => {
      log('warn', 'cameras did not stop in time; exiting anyway');
      process.exit(1);
    }, HARD_EXIT_AFTER_MS);
    hardExit.unref();
    void registry.shutdown().then(() => {
      log('info', 'cameras stopped; exiting');
      process.exit(0);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
