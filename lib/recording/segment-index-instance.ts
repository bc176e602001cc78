import { eventSettingsFromEnv } from '../events/event-settings';
import { log } from '../log';
import { SegmentIndex } from './segment-index';

// One index per process, on globalThis: Next loads route handlers and instrumentation as separate
// module instances (as for the event store).
const GLOBAL_KEY = Symbol.for('camdash.segment-index');
type Held = { index: SegmentIndex; closeAtExit: () => void };
type GlobalWithIndex = typeof globalThis & { [GLOBAL_KEY]?: Held };

/**
 * The process's segment index, opened at the first call, in the events' file of the data
 * directory. Throws a RecordingError, naming the file, when it cannot be opened; the next call
 * tries again. Reconciling it with the files is start-up's job (reconcile.ts), not this one's.
 */
export function getSegmentIndex(): SegmentIndex {
  const holder = globalThis as GlobalWithIndex;
  const held = holder[GLOBAL_KEY];
  if (held?.index.isOpen) return held.index;
  if (held) closeSegmentIndex();

  const { file } = eventSettingsFromEnv();
  const index = SegmentIndex.open(file);
  log('info', `recording: the index is in ${file}`, { segments: index.count() });
  // Synchronous, so it can be the last thing the process does, after the recorders' last finish().
  const closeAtExit = () => index.close();
  process.once('exit', closeAtExit);
  holder[GLOBAL_KEY] = { index, closeAtExit };
  return index;
}

/** Closes the process's index, if open; the next getSegmentIndex() opens it again (tests, and a data directory that moved). */
export function closeSegmentIndex(): void {
  const holder = globalThis as GlobalWithIndex;
  const held = holder[GLOBAL_KEY];
  if (!held) return;
  process.removeListener('exit', held.closeAtExit);
  held.index.close();
  delete holder[GLOBAL_KEY];
}
