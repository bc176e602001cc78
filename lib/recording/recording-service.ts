import type { RecorderDeps } from './recorder';
import { DiskGuard } from './disk-guard';
import { reconcileRecordings } from './reconcile';
import { RetentionSweeper, type MotionSpan, type RecordedCamera } from './retention';
import type { RecordingSettings } from './recording-settings';
import type { SegmentIndex } from './segment-index';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export type RecordingServiceDeps = {
  settings: RecordingSettings;
  /** Opens the index; throws (naming its file) when it cannot be. */
  openIndex: () => SegmentIndex;
  /** The cameras that record now (from the configuration in force). */
  cameras: () => readonly RecordedCamera[];
  /** Files being written now (the registry's recorders). */
  writing: () => ReadonlySet<string>;
  motionEvents: (camera: string, from: number, to: number) => readonly MotionSpan[];
  log: Log;
};

export type RecordingService = {
  /** What the registry hands each recorder. */
  recorderDeps: RecorderDeps;
  guard: DiskGuard;
  /** A sweep now (after a failed write, and by the timer). */
  sweep(): void;
  stop(): void;
};

/**
 * Frequent enough that a small disk is swept before a minute of footage fills it; a sweep is a
 * statfs and a few indexed queries.
 */
const SWEEP_EVERY_MS = 10_000;

/**
 * Recording's parts put together at start-up: the index, reconciled with the files before any
 * recorder writes (a crash's open segment gets its real end), the disk guard, and retention on a
 * timer. Undefined with the reason logged when the index cannot be opened: cameras then run
 * without recording, and say so.
 */
export async function startRecordingService(deps: RecordingServiceDeps): Promise<RecordingService | undefined> {
  const { settings, log } = deps;
  for (const problem of settings.problems) log('warn', `recording: ${problem}`);
  let index: SegmentIndex;
  try {
    index = deps.openIndex();
    await reconcileRecordings(settings.dir, index);
  } catch (error) {
    log('error', `recording: not available: ${(error as Error).message}`);
    return undefined;
  }
  const guard = new DiskGuard(settings.dir, { minFreeBytes: settings.minFreeBytes, minFreePercent: settings.minFreePercent });
  const sweeper = new RetentionSweeper({
    index,
    guard,
    dir: settings.dir,
    cameras: deps.cameras,
    writing: deps.writing,
    motionEvents: deps.motionEvents,
    maxBytes: settings.maxBytes,
    log,
  });
  const sweep = () => {
    sweeper.sweep().catch((error: Error) => log('error', `recordings: retention failed: ${error.message}`));
  };
  // The first sweep's check also tells whether the disk may take a segment before the first one begins.
  await sweeper.sweep().catch((error: Error) => log('error', `recordings: retention failed: ${error.message}`));
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  log('info', `recording: to ${settings.dir}, ${settings.segmentSeconds} s segments, ${describeFloor(settings)}`);

  const recorderDeps: RecorderDeps = {
    index,
    disk: {
      pausedReason: () => guard.pausedReason(),
      writeFailed: (failure) => {
        guard.writeFailed(failure);
        sweep();
      },
    },
    dir: settings.dir,
    segmentSeconds: settings.segmentSeconds,
    log,
  };
  return { recorderDeps, guard, sweep, stop: () => clearInterval(timer) };
}

function describeFloor(settings: RecordingSettings): string {
  const gb = (bytes: number) => `${+(bytes / 1024 ** 3).toFixed(3)} GB`;
  const floor = settings.minFreePercent > 0 ? `${gb(settings.minFreeBytes)} or ${settings.minFreePercent} % of the disk free` : `${gb(settings.minFreeBytes)} free`;
  return settings.maxBytes === undefined ? `keeping ${floor}` : `keeping ${floor}, at most ${gb(settings.maxBytes)} in all`;
}
