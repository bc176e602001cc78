import { log } from '../log';
import { EventStore } from './event-store';
import { eventSettingsFromEnv } from './event-settings';

const PRUNE_EVERY_MS = 60 * 60_000;

// Next loads route handlers, pages and instrumentation as separate module instances: one store
// per process means one on globalThis, as for the capture registry.
const GLOBAL_KEY = Symbol.for('camdash.event-store');
type Held = { store: EventStore; pruneTimer: NodeJS.Timeout; closeAtExit: () => void };
type GlobalWithEventStore = typeof globalThis & { [GLOBAL_KEY]?: Held };

/**
 * The process's event store, opened at the first call: in the data directory, with the retention
 * of the environment. Opening ends the events that a crash or a kill of an earlier process left
 * open, and prunes once an hour besides after each new event. Throws an
 * EventStoreError, naming the file, when it cannot be opened; the next call tries again.
 */
export function getEventStore(): EventStore {
  const holder = globalThis as GlobalWithEventStore;
  const held = holder[GLOBAL_KEY];
  if (held?.store.isOpen) return held.store;
  if (held) closeEventStore();

  const settings = eventSettingsFromEnv();
  for (const problem of settings.problems) log('warn', `events: ${problem}`);
  const store = EventStore.open(settings.file, settings.limits);
  // Open events last seen before this process started were left by an earlier one.
  const ended = store.endOpenEvents(Math.floor(performance.timeOrigin));
  const pruned = store.prune(Date.now());
  log('info', `events: ${settings.file}, kept ${settings.limits.maxAgeDays} days and at most ${settings.limits.maxEvents}`, {
    endedLeftOpen: ended,
    pruned,
  });

  const pruneTimer = setInterval(() => {
    try {
      store.prune(Date.now());
    } catch (error) {
      log('error', `events: pruning failed: ${(error as Error).message}`);
    }
  }, PRUNE_EVERY_MS);
  pruneTimer.unref();
  // Closing is synchronous, so it can be the last thing the process does, after the cameras have
  // stopped and their events' last updates are written, however the process exits (signal
  // handler, process.exit, end of work). A kill -9 leaves the WAL, which SQLite replays at the next open.
  const closeAtExit = () => store.close();
  process.once('exit', closeAtExit);
  holder[GLOBAL_KEY] = { store, pruneTimer, closeAtExit };
  return store;
}

/** Closes the process's store, if open; the next getEventStore() opens it again (tests, and a data directory that moved). */
export function closeEventStore(): void {
  const holder = globalThis as GlobalWithEventStore;
  const held = holder[GLOBAL_KEY];
  if (!held) return;
  clearInterval(held.pruneTimer);
  process.removeListener('exit', held.closeAtExit);
  held.store.close();
  delete holder[GLOBAL_KEY];
}
