import { mkdir, statfs } from 'node:fs/promises';
import type { DiskGate } from './recorder';
import type { WriterFailure } from './segment-writer';

/** The free space recording must leave on its disk: the larger of the two wins. */
export type FreeSpaceFloor = { minFreeBytes: number; minFreePercent: number };

export type DiskSpace = { freeBytes: number; totalBytes: number };

/** After a failed write, no segment begins for this long (unless a check finds room sooner). */
const RETRY_AFTER_FAILURE_MS = 30_000;

const GB = 1024 ** 3;

export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/**
 * Whether the recordings' disk may take more: paused while its free space is below the floor, and
 * for a while after a write failed (a full disk, a mount gone read-only). Live viewing never asks
 * it anything; only recording pauses.
 */
export class DiskGuard implements DiskGate {
  private belowFloor: string | undefined;
  private failure: { message: string; at: number } | undefined;
  space: DiskSpace | undefined;

  constructor(
    readonly dir: string,
    readonly floor: FreeSpaceFloor,
    private readonly now: () => number = Date.now,
  ) {}

  /** The bytes that must go for the disk to be above the floor (0 when it is). */
  shortfall(space: DiskSpace): number {
    const wanted = Math.max(this.floor.minFreeBytes, (space.totalBytes * this.floor.minFreePercent) / 100);
    return Math.max(0, wanted - space.freeBytes);
  }

  /** Reads the disk's free space and decides whether recording may go on. */
  async check(): Promise<DiskSpace> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const stats = await statfs(this.dir);
    const space = { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
    this.space = space;
    const short = this.shortfall(space);
    this.belowFloor =
      short > 0 ? `recording paused: ${formatBytes(space.freeBytes)} free on the recordings' disk, below the floor of ${formatBytes(space.freeBytes + short)}` : undefined;
    // Room again: a write that failed for want of it may be tried at once.
    if (short === 0 && this.failure?.message.includes('full')) this.failure = undefined;
    return space;
  }

  pausedReason(): string | undefined {
    if (this.failure && this.now() - this.failure.at < RETRY_AFTER_FAILURE_MS) return `recording paused: ${this.failure.message}`;
    return this.belowFloor;
  }

  writeFailed(failure: WriterFailure): void {
    this.failure = { message: failure.message, at: this.now() };
  }
}

export { GB };
