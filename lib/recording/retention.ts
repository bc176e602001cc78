import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { RecordSettings } from '../config/record-schema';
import { formatBytes, type DiskGuard } from './disk-guard';
import type { Segment } from './types';

/** What retention needs of the index (lib/recording/segment-index.ts). */
export type SegmentIndexPruner = {
  closedBefore(camera: string, before: number): Segment[];
  segments(camera: string, from: number, to: number): Segment[];
  oldestClosed(limit: number): Segment[];
  openSegments(): Segment[];
  delete(ids: readonly number[]): void;
  count(): number;
  totalBytes(): number;
};

export type RecordedCamera = { id: string; record: RecordSettings };
export type MotionSpan = { start: number; end: number | null };

export type RetentionDeps = {
  index: SegmentIndexPruner;
  guard: DiskGuard;
  dir: string;
  /** The cameras that record now. */
  cameras: () => readonly RecordedCamera[];
  /** Files being written: never deleted. */
  writing: () => ReadonlySet<string>;
  /** A camera's motion events overlapping [from, to]. */
  motionEvents: (camera: string, from: number, to: number) => readonly MotionSpan[];
  /** Optional cap on the recordings' total size. */
  maxBytes: number | undefined;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  now?: () => number;
};

/** Footage kept around a motion event, before its start and after its end. */
export const MOTION_PADDING_MS = { before: 5_000, after: 5_000 };
/** How far back a motion-mode camera's footage is looked at each sweep: what it recorded since the last. */
const MOTION_LOOKBACK_MS = 2 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** Deleting more than this share of the index in one sweep needs a loud reason: a disk swapped under camdash, a wrong directory. */
const MAX_SHARE_PER_SWEEP = 0.5;

export type SweepResult = { byAge: number; byMotion: number; bySpace: number; freedBytes: number };

/**
 * Retention, in order: footage past its camera's days; for cameras recording around motion, the
 * segments no event touches; then, while the disk is below its floor of free space (or the
 * recordings above their cap), the oldest segments of all cameras. Never the segment being
 * written, and never more than half the index in one sweep: that many would rather be a disk that
 * is not the one meant (a mount fallen back to the boot disk), and is logged loudly. Nothing goes
 * for the floor when all the footage could not make up the shortfall (other files fill the disk):
 * recording stays paused either way, and deleting would only lose the footage, a sweep at a time.
 */
export class RetentionSweeper {
  private readonly now: () => number;
  private sweeping: Promise<SweepResult> | undefined;
  /** The floor was out of footage's reach at the last sweep: said once when it begins and once when it ends. */
  private floorOutOfReach = false;

  constructor(private readonly deps: RetentionDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** One sweep at a time: a call during one waits for it. */
  sweep(): Promise<SweepResult> {
    this.sweeping ??= this.run().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async run(): Promise<SweepResult> {
    const { index, guard } = this.deps;
    const now = this.now();
    const budget = { left: Math.max(1, Math.floor(index.count() * MAX_SHARE_PER_SWEEP)) };
    const result: SweepResult = { byAge: 0, byMotion: 0, bySpace: 0, freedBytes: 0 };
    for (const camera of this.deps.cameras()) {
      const old = index.closedBefore(camera.id, now - camera.record.days * DAY_MS);
      result.byAge += await this.remove(old, budget, result);
      if (camera.record.mode === 'motion') result.byMotion += await this.remove(this.withoutMotion(camera.id, now), budget, result);
    }
    let space = await guard.check();
    const overCap = () => (this.deps.maxBytes === undefined ? 0 : Math.max(0, index.totalBytes() - this.deps.maxBytes));
    const forFloor = this.reachableShortfall(guard.shortfall(space), space.freeBytes);
    let needed = Math.max(forFloor, overCap());
    while (needed > 0 && budget.left > 0) {
      const oldest = this.pickOldest(needed);
      if (oldest.length === 0) break;
      const removed = await this.remove(oldest, budget, result);
      result.bySpace += removed;
      if (removed === 0) break;
      space = await guard.check();
      needed = Math.max(forFloor > 0 ? guard.shortfall(space) : 0, overCap());
    }
    if (needed > 0 && budget.left === 0) {
      this.deps.log(
        'error',
        `recordings: ${formatBytes(needed)} more must go to reach the floor of free space, but this sweep already deleted half of all segments; ` +
          `the rest waits for the next sweep. Check that ${this.deps.dir} is on the disk you meant.`,
      );
    }
    if (result.byAge + result.byMotion + result.bySpace > 0) {
      this.deps.log('info', `recordings: deleted ${result.byAge} past their days, ${result.byMotion} without motion, ${result.bySpace} for space (${formatBytes(result.freedBytes)})`);
    }
    return result;
  }

  /** The shortfall below the floor if deleting footage can make it up, else 0 (and the log says why once). */
  private reachableShortfall(shortfall: number, freeBytes: number): number {
    const { index } = this.deps;
    const deletable = index.totalBytes() - index.openSegments().reduce((sum, segment) => sum + segment.bytes, 0);
    const outOfReach = shortfall > deletable;
    if (outOfReach && !this.floorOutOfReach) {
      this.deps.log(
        'error',
        `recordings: the disk is below its floor because of other files: ${formatBytes(freeBytes)} free, ${formatBytes(freeBytes + shortfall)} wanted, ` +
          `and all the footage (${formatBytes(deletable)}) would not make up the difference. None is deleted; recording stays paused until the disk of ${this.deps.dir} has room.`,
      );
    } else if (!outOfReach && this.floorOutOfReach) {
      this.deps.log('info', `recordings: other files no longer keep the disk of ${this.deps.dir} below its floor`);
    }
    this.floorOutOfReach = outOfReach;
    return outOfReach ? 0 : shortfall;
  }

  /** The oldest closed segments, enough of them to free about `bytes`. */
  private pickOldest(bytes: number): Segment[] {
    const picked: Segment[] = [];
    let total = 0;
    for (const segment of this.deps.index.oldestClosed(64)) {
      picked.push(segment);
      total += segment.bytes;
      if (total >= bytes) break;
    }
    return picked;
  }

  private withoutMotion(camera: string, now: number): Segment[] {
    const from = now - MOTION_LOOKBACK_MS;
    // A segment that ended less than the padding ago may yet be needed by an event starting now.
    const settled = now - MOTION_PADDING_MS.before;
    const events = this.deps.motionEvents(camera, from - MOTION_PADDING_MS.after, now);
    return this.deps.index
      .segments(camera, from, settled)
      .filter((segment) => !segment.open && segment.endedAt <= settled)
      .filter((segment) => !events.some((event) => segment.startedAt <= (event.end ?? now) + MOTION_PADDING_MS.after && segment.endedAt >= event.start - MOTION_PADDING_MS.before));
  }

  /** Deletes files first, then their rows: a crash between leaves rows without files, which reconciling removes. */
  private async remove(segments: readonly Segment[], budget: { left: number }, result: SweepResult): Promise<number> {
    const writing = this.deps.writing();
    const chosen = segments.filter((segment) => !segment.open && !writing.has(segment.path)).slice(0, budget.left);
    if (chosen.length === 0) return 0;
    await Promise.all(chosen.map((segment) => rm(path.join(this.deps.dir, segment.path), { force: true })));
    this.deps.index.delete(chosen.map((segment) => segment.id));
    budget.left -= chosen.length;
    result.freedBytes += chosen.reduce((sum, segment) => sum + segment.bytes, 0);
    return chosen.length;
  }
}
