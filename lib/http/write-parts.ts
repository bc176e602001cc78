import type { Writable } from 'node:stream';
import type { PartSource } from './part-source';

/**
 * Writes `first`, then each part of `source` as soon as it is ready, to a Node writable; waits for
 * 'drain' when the writable says it is full. Resolves when the source ends, when `isDone` says the
 * client has gone, or when the writable closes. Written from callbacks, not a loop of awaits: a
 * viewer that keeps up costs one synchronous write per frame. One 'drain' listener for the whole
 * stream rather than one per wait: Express's compression middleware, which Next uses, cannot
 * remove a `once` listener it forwarded.
 */
export function writeParts(out: Writable, first: readonly Uint8Array[], source: PartSource, isDone: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    let ended = false;
    let waitingForDrain = false;
    const end = () => {
      if (ended) return;
      ended = true;
      out.off('drain', onDrain);
      out.off('close', end);
      resolve();
    };
    const gone = () => ended || out.destroyed || out.writableEnded || isDone();
    const pump = () => {
      try {
        for (;;) {
          if (gone()) return end();
          const part = source.take();
          if (part === null) return end();
          if (part === undefined) return source.onReady(pump);
          if (!out.write(part)) {
            waitingForDrain = true;
            return;
          }
        }
      } catch (error) {
        // Runs inside the camera's delivery of a frame: one viewer's failure must not reach it.
        out.destroy(error as Error);
        end();
      }
    };
    const onDrain = () => {
      if (!waitingForDrain) return;
      waitingForDrain = false;
      pump();
    };
    out.on('drain', onDrain);
    out.once('close', end);
    for (const part of first) {
      if (gone()) return end();
      if (!out.write(part)) waitingForDrain = true;
    }
    if (!waitingForDrain) pump();
  });
}
