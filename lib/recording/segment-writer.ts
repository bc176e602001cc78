import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** How much of a segment may wait for the disk: about 10 s of a 4 Mbit/s camera. */
export const DEFAULT_QUEUE_LIMIT_BYTES = 5 * 1024 * 1024;

/** Written bytes reach the disk at least this often: what a power cut may lose. */
export const SYNC_EVERY_MS = 1_000;

/**
 * Frames are gathered this long before they are written: one write a frame cost 0.17 % of a core
 * per 15 fps camera, one a second 0.05 % (bench:recording's writer test). A kill -9 loses what is
 * gathered, at most this much more footage.
 */
export const BATCH_MS = 500;
/** A batch this large is written at once, whatever its age. */
const BATCH_BYTES = 256 * 1024;

export type WriterFailure = { code: string | undefined; message: string };

export type SegmentWriterOptions = {
  queueLimitBytes?: number;
  syncEveryMs?: number;
  batchMs?: number;
  now?: () => number;
};

/**
 * One segment file, appended to in the order given, never waited on by the caller: bytes queue in
 * memory while the disk is busy, up to a bound. `append` refuses (returns false) once the bound
 * would be passed, so a slow disk costs the recording frames, never the live viewers memory or
 * time. Written bytes are flushed to the disk every second, so a power cut loses at most about
 * that; a kill -9 loses only what was still queued.
 */
export class SegmentWriter {
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private handle: Promise<FileHandle>;
  private lastSyncAt: number;
  private closed = false;
  private failure: WriterFailure | undefined;
  /** Bytes on their way to the file or in it: what the segment will hold when the queue drains. */
  acceptedBytes = 0;
  /** Bytes the file holds now. */
  writtenBytes = 0;

  private readonly queueLimitBytes: number;
  private readonly syncEveryMs: number;
  private readonly batchMs: number;
  private readonly now: () => number;

  constructor(
    readonly file: string,
    private readonly onFailure: (failure: WriterFailure) => void,
    options: SegmentWriterOptions = {},
  ) {
    this.queueLimitBytes = options.queueLimitBytes ?? DEFAULT_QUEUE_LIMIT_BYTES;
    this.syncEveryMs = options.syncEveryMs ?? SYNC_EVERY_MS;
    this.batchMs = options.batchMs ?? BATCH_MS;
    this.now = options.now ?? Date.now;
    this.lastSyncAt = this.now();
    // 'wx': a file of the same name is another segment's; never overwrite footage.
    this.handle = mkdir(path.dirname(file), { recursive: true, mode: 0o700 }).then(() => open(file, 'wx', 0o600));
    // A failure to open is reported by the first write that needs it.
    this.handle.catch(() => undefined);
  }

  get failed(): WriterFailure | undefined {
    return this.failure;
  }

  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** Queues bytes for the file; false when the disk is too far behind (or has failed) and they were not taken. */
  append(bytes: Uint8Array): boolean {
    if (this.closed || this.failure) return false;
    if (this.queuedBytes > 0 && this.queuedBytes + bytes.length > this.queueLimitBytes) return false;
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    this.acceptedBytes += bytes.length;
    this.scheduleDrain();
    return true;
  }

  /** Writes soon: at once for a large batch, else when the oldest queued bytes are batchMs old. */
  private scheduleDrain(): void {
    if (this.writing) return;
    if (this.queuedBytes >= BATCH_BYTES || this.batchMs <= 0) {
      clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
      this.writing = this.drain();
      return;
    }
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.writing ??= this.drain();
    }, this.batchMs);
    this.batchTimer.unref?.();
  }

  /** Writes what is queued, flushes it to the disk and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    await this.writing;
    if (this.queue.length > 0 && !this.failure) await (this.writing = this.drain());
    try {
      const handle = await this.handle;
      if (!this.failure) await handle.datasync();
      await handle.close();
    } catch (error) {
      this.fail(error);
    }
  }

  private async drain(): Promise<void> {
    try {
      const handle = await this.handle;
      while (this.queue.length > 0 && !this.failure) {
        const batch = this.queue;
        this.queue = [];
        const size = batch.reduce((sum, bytes) => sum + bytes.length, 0);
        await writeAll(handle, batch);
        this.queuedBytes -= size;
        this.writtenBytes += size;
        if (this.now() - this.lastSyncAt >= this.syncEveryMs) {
          this.lastSyncAt = this.now();
          await handle.datasync();
        }
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.writing = undefined;
      if (this.queue.length > 0 && !this.failure && !this.closed) this.scheduleDrain();
    }
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    const code = (error as NodeJS.ErrnoException).code;
    this.failure = { code, message: describeWriteError(this.file, error) };
    this.queue = [];
    this.queuedBytes = 0;
    this.onFailure(this.failure);
  }
}

/** writev may write less than asked (a nearly full disk): the rest is written until done or an error. */
async function writeAll(handle: FileHandle, buffers: Uint8Array[]): Promise<void> {
  let pending = buffers;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    let left = bytesWritten;
    let index = 0;
    while (index < pending.length && left >= pending[index]!.length) left -= pending[index++]!.length;
    pending = pending.slice(index);
    if (left > 0) pending[0] = pending[0]!.subarray(left);
    if (bytesWritten === 0 && pending.length > 0) throw Object.assign(new Error('the disk took no bytes'), { code: 'ENOSPC' });
  }
}

function describeWriteError(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = path.dirname(path.dirname(path.dirname(file)));
  if (code === 'ENOSPC') return `the disk of ${where} is full`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `cannot write to ${where} (${code})`;
  if (code === 'EEXIST') return `${path.basename(file)} already exists`;
  return `writing ${path.basename(file)} failed: ${(error as Error).message}`;
}
