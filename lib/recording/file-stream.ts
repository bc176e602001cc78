import type { FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 256 * 1024;

export type FileStreamOptions = {
  /** Bytes sent before the file's. */
  prefix?: Uint8Array;
  /** Aborts the stream (the client left): the file is closed and onClose runs. */
  signal?: AbortSignal;
  /** Runs once when the stream is done with the file, however it ends (deleting a temporary file). */
  onClose?: () => void | Promise<void>;
};

/**
 * A response body of `prefix` and then byte ranges [start, end) of an open file, read a chunk at a
 * time as the client takes them (pull): a long range never sits in memory, and a client that
 * stops reading stops the reads. The handle is closed exactly once, at the end, on cancel or abort.
 */
export function fileRangesStream(handle: FileHandle, ranges: readonly (readonly [start: number, end: number])[], options: FileStreamOptions = {}): ReadableStream<Uint8Array> {
  let rangeIndex = 0;
  let position = ranges[0]?.[0] ?? 0;
  let prefix = options.prefix;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      options.signal?.removeEventListener('abort', abort);
      await handle.close().catch(() => undefined);
      await options.onClose?.();
    })());
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const abort = () => {
    void close();
    try {
      controller?.error(new Error('the client went away'));
    } catch {
      // already closed
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        if (options.signal?.aborted) abort();
        else options.signal?.addEventListener('abort', abort, { once: true });
      },
      async pull(streamController) {
        if (prefix) {
          streamController.enqueue(prefix);
          prefix = undefined;
          return;
        }
        while (rangeIndex < ranges.length && position >= ranges[rangeIndex]![1]) {
          rangeIndex += 1;
          position = ranges[rangeIndex]?.[0] ?? position;
        }
        if (rangeIndex >= ranges.length || closed) {
          await close();
          if (!options.signal?.aborted) streamController.close();
          return;
        }
        const end = ranges[rangeIndex]![1];
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) {
          await close();
          streamController.error(new Error(`the file ended at ${position}, before ${end}`));
          return;
        }
        position += bytesRead;
        streamController.enqueue(new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
      },
      async cancel() {
        await close();
      },
    },
    { highWaterMark: 0 },
  );
}
