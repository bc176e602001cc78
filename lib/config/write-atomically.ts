import { randomUUID } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces a file's content all at once: a reader (the hot reload, an editor, a crash halfway)
 * sees the old file or the new one, never half of one. Keeps the file's permission bits, since
 * cameras.json may hold passwords; a new file is readable by its owner only.
 */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const mode = await stat(file).then((stats) => stats.mode & 0o777, () => 0o600);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
