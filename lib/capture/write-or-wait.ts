import type { Writable } from 'node:stream';

/** Writes to a child's stdin, waiting while its pipe is full (or until it closes). */
export async function writeOrWait(stdin: Writable, bytes: Uint8Array): Promise<void> {
  if (stdin.write(bytes)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      stdin.off('drain', done);
      stdin.off('close', done);
      resolve();
    };
    stdin.once('drain', done);
    stdin.once('close', done);
  });
}
