import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchConfigFile, type FileWatch } from '@/lib/config/watch-file';
import { waitFor } from '../../helpers/wait-for';

// Real files in a real directory, saved the ways editors and people save them.
let watch: FileWatch | undefined;
afterEach(() => watch?.close());

function setup() {
  const directory = mkdtempSync(path.join(tmpdir(), 'camdash-watch-'));
  const file = path.join(directory, 'cameras.json');
  writeFileSync(file, '{"cameras": []}');
  let calls = 0;
  watch = watchConfigFile(file, () => (calls += 1));
  return { directory, file, calls: () => calls };
}

const SAVES: [string, (file: string, directory: string) => void][] = [
  ['written in place', (file) => writeFileSync(file, '{"cameras": [1]}')],
  [
    'replaced by a rename (vim, VS Code, atomic saves)',
    (file, directory) => {
      writeFileSync(path.join(directory, '.cameras.json.swp'), '{"cameras": [2]}');
      renameSync(path.join(directory, '.cameras.json.swp'), file);
    },
  ],
  ['edited with sed -i', (file) => execFileSync('sed', ['-i', 's/cameras/cameras /', file])],
  [
    'copied over',
    (file, directory) => {
      writeFileSync(path.join(directory, 'other.json'), '{"cameras": [3]}');
      copyFileSync(path.join(directory, 'other.json'), file);
    },
  ],
  [
    'deleted and created again',
    (file) => {
      rmSync(file);
      writeFileSync(file, '{"cameras": [4]}');
    },
  ],
];

describe('watching cameras.json', () => {
  for (const [how, save] of SAVES) {
    it(`sees the file ${how}, again and again`, async () => {
      const { directory, file, calls } = setup();
      for (let round = 1; round <= 3; round += 1) {
        save(file, directory);
        await waitFor(() => calls() >= round, { timeoutMs: 3_000, message: `change ${round} to be seen` });
      }
    });
  }

  it('calls once for a burst of writes', async () => {
    const { file, calls } = setup();
    for (let write = 0; write < 10; write += 1) writeFileSync(file, `{"cameras": [${write}]}`);
    await waitFor(() => calls() >= 1, { timeoutMs: 3_000, message: 'the burst to be seen' });
    // Settle: the poll fires no later than 1 s after the last write; then nothing more comes.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(calls()).toBeLessThanOrEqual(2);
  });
});
