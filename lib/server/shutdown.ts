import type { CaptureRegistry } from '../capture/registry';
import { log } from '../log';
import { closeConnectionsWhenIdle } from './request-context';

const HARD_EXIT_AFTER_MS = 5_000;
const INSTALLED = Symbol.for('camdash.shutdown-installed');
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

type SignalListener = (signal: NodeJS.Signals) => void;

/**
 * On SIGINT/SIGTERM: stop every ffmpeg and end every stream first, then let the server's own
 * handlers close it. Next's handler alone waits for open responses to finish (an MJPEG stream
 * never does), and when it does exit it can race ahead of ffmpeg's exit, skipping the SIGKILL of
 * a hung child. So Next's handlers, installed before this runs, are taken over and called after.
 */
export function installShutdownHandlers(registry: CaptureRegistry, beforeStopping: () => void = () => {}): void {
  const holder = globalThis as typeof globalThis & { [INSTALLED]?: boolean };
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;

  const serverHandlers = new Map<NodeJS.Signals, SignalListener[]>();
  for (const signal of SIGNALS) {
    serverHandlers.set(signal, process.listeners(signal) as SignalListener[]);
    process.removeAllListeners(signal);
  }

  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('info', `${signal}: stopping cameras`);
    beforeStopping();
    closeConnectionsWhenIdle();
    const hardExit = setTimeout(() => {
      log('warn', 'cameras did not stop in time; exiting anyway');
      process.exit(1);
    }, HARD_EXIT_AFTER_MS);
    hardExit.unref();
    void registry.shutdown().then(() => {
      log('info', 'cameras stopped');
      const handlers = serverHandlers.get(signal) ?? [];
      if (handlers.length === 0) process.exit(0);
      for (const handler of handlers) handler(signal);
    });
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
}
