import { watch, watchFile, unwatchFile, type FSWatcher, type StatsListener } from 'node:fs';
import path from 'node:path';

export type FileWatch = { close(): void };

const DEBOUNCE_MS = 150;
const POLL_MS = 1_000;

/**
 * Calls `onChange` (debounced) when a file may have changed, however it was saved: written in place
 * (nano, `>`), replaced by a rename (vim, VS Code, `sed -i`, `cp` over it, an atomic save), deleted
 * and created again. The directory is watched, not the file: a watch on the file itself follows
 * the old inode and goes deaf after the first rename-over. A slow stat poll backs it up on file
 * systems where inotify sees nothing (network mounts, some containers). Never keeps the process alive.
 */
export function watchConfigFile(file: string, onChange: () => void): FileWatch {
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, DEBOUNCE_MS);
    timer.unref();
  };

  let directoryWatch: FSWatcher | undefined;
  try {
    directoryWatch = watch(path.dirname(file), { persistent: false }, (_event, changed) => {
      // Some platforms do not say which file changed; then it may be ours.
      if (!changed || changed.toString() === name) schedule();
    });
    directoryWatch.on('error', () => directoryWatch?.close());
  } catch {
    // The directory does not exist (yet): the poll still sees the file appear.
  }

  const onStat: StatsListener = (current, previous) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size || current.ino !== previous.ino) schedule();
  };
  watchFile(file, { interval: POLL_MS, persistent: false }, onStat);

  return {
    close() {
      clearTimeout(timer);
      directoryWatch?.close();
      unwatchFile(file, onStat);
    },
  };
}
