import type { SourceKind } from '../config/source';
import { classifyFailure, describeExit, type Failure, type FailureKind } from './exit-reason';
import type { CaptureProcess, SpawnFunction } from './process';
import { StderrTail } from './stderr-tail';

export type RunState = 'idle' | 'starting' | 'live' | 'backoff' | 'stopping';

export type CaptureTiming = {
  /** How long a camera keeps running after its last viewer leaves. */
  graceMs: number;
  /** First restart delay after a failure; doubles up to maxRestartDelayMs. */
  restartDelayMs: number;
  maxRestartDelayMs: number;
  /** Live this long and the next failure starts again from restartDelayMs. */
  healthyAfterMs: number;
  /** After SIGTERM, how long ffmpeg gets before SIGKILL. */
  killAfterMs: number;
  /** No output for this long (including the first) and the run is restarted. */
  stallMs: number;
  /** A wrong password is a configuration problem: retry it this rarely, not every second. */
  authRetryDelayMs: number;
};

export const DEFAULT_TIMING: CaptureTiming = {
  graceMs: 5_000,
  restartDelayMs: 1_000,
  maxRestartDelayMs: 30_000,
  healthyAfterMs: 30_000,
  killAfterMs: 3_000,
  stallMs: 10_000,
  authRetryDelayMs: 60_000,
};

export type SupervisorDeps = {
  spawn: SpawnFunction;
  timing: CaptureTiming;
  log: (message: string, fields: { camera: string }) => void;
};

/** What the owner of a supervised process decides and hears. */
export type SupervisedWork = {
  /** Starts one run; throws when it cannot. */
  launch(): CaptureProcess;
  /** A chunk of the run's stdout; `generation` tells runs apart. */
  onOutput(chunk: Buffer, generation: number): void;
  /** Whether anybody still needs the process: a failure is retried only then. */
  wanted(): boolean;
  /** The run ended (failed, with why; or stopped or replaced): drop what it produced. */
  onRunEnded(failure?: Failure): void;
  /** The backoff after a failure is over: start the run that is wanted now. */
  retry(): void;
};

/** Thrown by `launch` when a run cannot even start, with the words to show for it. */
export class LaunchFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.reason);
  }
}

export type RunStatus = {
  state: RunState;
  reason: string | undefined;
  failure: FailureKind | undefined;
  restarts: number;
  retryAt: number | undefined;
  stderrTail: string[];
};

/**
 * One supervised child process of a camera (an ffmpeg, or a stand-in such as the snapshot poller):
 * started and stopped by its owner, restarted with backoff when it fails while still wanted,
 * restarted by a watchdog when it stops producing, stopped with SIGTERM then SIGKILL. Each run has
 * a generation number, so the late exit of a stopped run can never restart or disturb a newer one.
 */
export class ProcessSupervisor {
  private current: RunState = 'idle';
  private child: CaptureProcess | undefined;
  /** Every child not yet exited, including stopped ones still winding down. */
  private readonly exits = new Set<Promise<void>>();
  private childExit: Promise<void> = Promise.resolve();
  private run = 0;
  private liveSince: number | undefined;
  private failures = 0;
  private restarts = 0;
  private reason: string | undefined;
  private failure: FailureKind | undefined;
  private retryAt: number | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly stderr: StderrTail;

  constructor(
    private readonly label: string,
    private readonly cameraId: string,
    private readonly sourceKind: SourceKind,
    secrets: readonly string[],
    private readonly deps: SupervisorDeps,
    private readonly work: SupervisedWork,
  ) {
    this.stderr = new StderrTail(secrets);
  }

  get state(): RunState {
    return this.current;
  }

  get generation(): number {
    return this.run;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether a run is up or coming: starting, live, or waiting to retry. */
  get active(): boolean {
    return this.current === 'starting' || this.current === 'live' || this.current === 'backoff';
  }

  status(): RunStatus {
    return {
      state: this.current,
      reason: this.reason,
      failure: this.failure,
      restarts: this.restarts,
      retryAt: this.retryAt,
      stderrTail: this.stderr.snapshot(),
    };
  }

  log(message: string): void {
    this.deps.log(`camera ${this.label}: ${message}`, { camera: this.cameraId });
  }

  /** Starts a run now (any pending retry is dropped). `describe` names the run in the log. */
  start(describe: (child: CaptureProcess) => string): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.retryAt = undefined;
    const generation = ++this.run;
    this.current = 'starting';
    this.stderr.clear();

    let child: CaptureProcess;
    try {
      child = this.work.launch();
    } catch (error) {
      this.fail(generation, error instanceof LaunchFailure ? error.failure : { kind: 'failed', reason: `ffmpeg could not be started: ${(error as Error).message}` });
      return;
    }
    this.child = child;
    this.log(describe(child));

    let exited = false;
    const exit = new Promise<void>((resolve) => {
      const onEnd = (description: string, code: number | null) => {
        if (exited) return;
        exited = true;
        this.exits.delete(exit);
        resolve();
        this.onChildEnded(generation, child, description, code);
      };
      child.once('exit', (code, signal) => onEnd(describeExit(code, signal), code));
      child.once('error', (error) => onEnd(`ffmpeg could not be started: ${error.message}`, null));
    });
    this.exits.add(exit);
    this.childExit = exit;

    child.stdout?.on('data', (chunk: Buffer) => {
      if (generation === this.run) this.work.onOutput(chunk, generation);
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    // A stop closes the pipes under a running reader; those errors are expected.
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});
    this.armWatchdog(generation);
  }

  /** The run delivered something: it is live, and the watchdog starts over. */
  progressed(now: number): void {
    if (this.current !== 'live') {
      this.current = 'live';
      this.liveSince = now;
      this.reason = undefined;
      this.failure = undefined;
      this.log('live');
    } else if (this.liveSince !== undefined && now - this.liveSince >= this.deps.timing.healthyAfterMs) {
      this.failures = 0;
    }
    // Restarted in place: a new timer for every frame was garbage 15 times a second per camera.
    this.stallTimer?.refresh();
  }

  /** Fails the current run from outside (its output cannot be read, say): stopped, and retried as any failure. */
  failNow(failure: Failure): void {
    const child = this.child;
    this.run += 1; // its exit, whenever it comes, is no longer this run's business
    if (child) void this.terminate(child);
    this.fail(this.run, failure);
  }

  /** Stops the run, if any; the state becomes idle once its child has exited. */
  stop(): void {
    const child = this.endRun();
    if (!child) {
      this.current = 'idle';
      return;
    }
    this.current = 'stopping';
    this.log(`stopping ffmpeg (pid ${child.pid ?? '?'})`);
    void this.terminate(child).then(() => {
      if (this.current === 'stopping') this.current = 'idle';
    });
  }

  /** Replaces the run with a new one at once (another size, say), the old one stopped quietly. */
  replace(describe: (child: CaptureProcess) => string): void {
    const child = this.endRun();
    if (child) void this.terminate(child);
    this.start(describe);
  }

  /** Resolves when every child ever started has exited. */
  async exited(): Promise<void> {
    await Promise.all(this.exits);
  }

  /** A camera can accept the connection and then send nothing; ffmpeg would wait forever. */
  private armWatchdog(generation: number): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      if (generation !== this.run || !this.child) return;
      const seconds = Math.round(this.deps.timing.stallMs / 1000);
      this.failNow({ kind: 'timed out', reason: `timed out: no frame for ${seconds} s` });
    }, this.deps.timing.stallMs);
    this.stallTimer.unref?.();
  }

  private onChildEnded(generation: number, child: CaptureProcess, description: string, code: number | null): void {
    if (this.child === child) this.child = undefined;
    // A run that was stopped on purpose, or superseded, ends quietly.
    if (generation !== this.run) return;
    this.fail(generation, classifyFailure(description, this.stderr.snapshot(), code, this.sourceKind));
  }

  /** The run failed while wanted: go offline, and retry later if anybody still wants it. */
  private fail(generation: number, failure: Failure): void {
    if (generation !== this.run) return;
    clearTimeout(this.stallTimer);
    this.reason = failure.reason;
    this.failure = failure.kind;
    this.liveSince = undefined;
    this.work.onRunEnded(failure);
    this.log(`offline: ${failure.reason}`);
    if (!this.work.wanted()) {
      this.current = 'idle';
      return;
    }
    const { restartDelayMs, maxRestartDelayMs, authRetryDelayMs } = this.deps.timing;
    const backoff = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** this.failures);
    const delay = failure.kind === 'authentication failed' ? Math.max(backoff, authRetryDelayMs) : backoff;
    this.failures += 1;
    this.current = 'backoff';
    this.retryAt = Date.now() + delay;
    this.restartTimer = setTimeout(() => {
      this.restarts += 1;
      this.work.retry();
    }, delay);
    this.restartTimer.unref?.();
  }

  /** Ends the current run quietly: its exit, whenever it comes, is no longer anybody's business. */
  private endRun(): CaptureProcess | undefined {
    clearTimeout(this.restartTimer);
    clearTimeout(this.stallTimer);
    this.restartTimer = undefined;
    this.retryAt = undefined;
    this.work.onRunEnded();
    this.liveSince = undefined;
    this.run += 1;
    return this.child;
  }

  /** SIGTERM, then SIGKILL if the child has not exited in time; only ever our own child, by handle. */
  private terminate(child: CaptureProcess): Promise<void> {
    const exited = this.childExit;
    if (this.child === child) this.child = undefined;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), this.deps.timing.killAfterMs);
    killTimer.unref?.();
    return exited.then(() => clearTimeout(killTimer));
  }
}
