import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type Tmpfs = { dir: string; unmount(): Promise<void> };

/**
 * A filesystem of exactly `bytes`, of its own, so that a test can fill a disk without touching the
 * machine's. Mounting needs root: when it is refused, this fails and says why rather than letting
 * the test pass without a small disk.
 */
export async function mountTmpfs(bytes: number, prefix = 'camdash-tmpfs-'): Promise<Tmpfs> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(
      `mounting a ${bytes}-byte tmpfs at ${dir} was refused: ${(stderr || message).trim()}. ` +
        `This test needs root (it runs as uid ${process.getuid?.()}) and a kernel that lets it mount tmpfs.`,
    );
  }
  return {
    dir,
    unmount: async () => {
      await run('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
