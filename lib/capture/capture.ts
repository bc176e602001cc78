import { buildFfmpegArgs, type CaptureOptions } from '../ffmpeg/args';
import type { SourceKind } from '../config/source';
import { passwordForms } from '../ffmpeg/redact';
import { JpegSplitter } from '../mjpeg/jpeg-splitter';
import { capturedFrame, type Frame } from './frame';
import { LatestFrameSlot } from './latest-frame-slot';
import type { CaptureProcess, SpawnFunction } from './process';
import { SnapshotPoller } from './snapshot-poller';
import { StderrTail } from './stderr-tail';
import { FrameRateMeter } from './frame-rate-meter';
import { classifyFailure, describeExit, type FailureKind } from './exit-reason';

export type CaptureState = 'idle' | 'starting' | 'live' | 'backoff' | 'stopping';

/**
 * What a viewer wants: the full picture (camera page, external players) or a tile's worth. A run
 * of ffmpeg serves one of them; grid viewers are served by a 'main' run too.
 */
export type Variant = 'main' | 'grid';

export type CaptureExtras = {
  /** How logs name this capture: the camera id, or e.g. "door (substream)". */
  label?: string;
  /** A smaller capture for grid tiles (see gridCaptureOptions); absent, the grid gets the main one. */
  gridOptions?: CaptureOptions | undefined;
};

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
  /** No frame for this long (including the first) and the run is restarted. */
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

export type CaptureDeps = {
  spawn: SpawnFunction;
  /** Absent when no ffmpeg was found: the camera then stays offline with `missingFfmpegReason`. */
  ffmpegPath: string | undefined;
  missingFfmpegReason?: string;
  timing: CaptureTiming;
  log: (message: string, fields: { camera: string }) => void;
  /** Starts polling a snapshot camera; tests hand in their own. */
  pollSnapshots?: (url: string, fps: number) => CaptureProcess;
};

const SNAPSHOT_TIMEOUT_MS = 10_000;
const defaultPoller = (url: string, fps: number): CaptureProcess => new SnapshotPoller({ url, fps, timeoutMs: SNAPSHOT_TIMEOUT_MS });

export type CaptureSnapshot = {
  state: CaptureState;
  reason: string | undefined;
  failure: FailureKind | undefined;
  viewers: number;
  fps: number;
  lastFrameAt: number | undefined;
  restarts: number;
  framesIn: number;
  /** Frames written to viewers' connections, and their bytes. */
  framesOut: number;
  bytesOut: number;
  /** Frames a slow viewer never got because a newer one replaced them. */
  droppedFrames: number;
  retryAt: number | undefined;
  stderrTail: string[];
  /** What the current run serves: 'grid' while only tiles watch a camera that has a grid run. */
  variant: Variant;
};

/**
 * One camera's ffmpeg: started by the first viewer, stopped a grace period after the last one
 * leaves, restarted with backoff when it fails while somebody watches. Each run has a generation
 * number, so the late exit of a stopped run can never restart or disturb a newer one.
 */
export class Capture {
  private state: CaptureState = 'idle';
  private readonly viewers = new Map<LatestFrameSlot, Variant>();
  /** What the current (or next) run serves. */
  private mode: Variant = 'main';
  private child: CaptureProcess | undefined;
  /** Every child not yet exited, including stopped ones still winding down. */
  private readonly exits = new Set<Promise<void>>();
  private childExit: Promise<void> = Promise.resolve();
  private generation = 0;
  private latest: Frame | undefined;
  /** The last frame of an earlier run, for a new viewer to look at while ffmpeg starts. */
  private still: Frame | undefined;
  private liveSince: number | undefined;
  private failures = 0;
  private restarts = 0;
  private framesIn = 0;
  private framesOut = 0;
  private bytesOut = 0;
  private droppedFrames = 0;
  private reason: string | undefined;
  private failure: FailureKind | undefined;
  private retryAt: number | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private downgradeTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly meter = new FrameRateMeter();
  private readonly stderr: StderrTail;
  private readonly args: Record<Variant, string[]>;
  private readonly hasGridRun: boolean;
  private readonly label: string;
  private readonly snapshotUrl: string | undefined;
  private readonly snapshotFps: number;
  private readonly sourceKind: SourceKind;

  constructor(
    readonly id: string,
    options: CaptureOptions,
    private readonly deps: CaptureDeps,
    { label = id, gridOptions }: CaptureExtras = {},
  ) {
    this.label = label;
    const main = buildFfmpegArgs(options);
    this.args = { main, grid: gridOptions ? buildFfmpegArgs(gridOptions) : main };
    this.hasGridRun = gridOptions !== undefined;
    this.snapshotUrl = options.snapshot && options.input.kind === 'http' ? options.input.url : undefined;
    this.snapshotFps = options.fps ?? 1;
    this.sourceKind = options.input.kind;
    const url = options.input.kind === 'rtsp' || options.input.kind === 'http' ? options.input.url : '';
    this.stderr = new StderrTail(passwordForms(url));
  }

  /**
   * Adds a viewer. It gets the latest frame at once if the camera is live, else the last frame of
   * an earlier run, marked `still`, to show while ffmpeg starts.
   */
  subscribe(variant: Variant = 'main'): LatestFrameSlot {
    const slot = new LatestFrameSlot();
    this.viewers.set(slot, variant);
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    if (variant === 'main') {
      clearTimeout(this.downgradeTimer);
      this.downgradeTimer = undefined;
    }
    if (this.state === 'idle' || this.state === 'stopping') this.start(this.wantedMode());
    else if (this.mode !== this.wantedMode() && this.state !== 'backoff') this.restart(this.wantedMode());
    const ready = this.state === 'live' ? this.latest : this.still;
    if (ready) slot.offer(ready);
    return slot;
  }

  unsubscribe(slot: LatestFrameSlot): void {
    if (!this.viewers.delete(slot)) return;
    slot.close();
    if (this.state === 'idle' || this.state === 'stopping') return;
    if (this.viewers.size === 0) {
      clearTimeout(this.graceTimer);
      this.graceTimer = setTimeout(() => this.stop(), this.deps.timing.graceMs);
      this.graceTimer.unref?.();
    } else if (this.mode !== this.wantedMode() && !this.downgradeTimer) {
      // The camera page was left but tiles still watch: after the same grace (the user may come
      // straight back), the camera goes back to the cheaper grid run.
      this.downgradeTimer = setTimeout(() => {
        this.downgradeTimer = undefined;
        if (this.mode !== this.wantedMode() && this.state !== 'backoff' && this.viewers.size > 0) this.restart(this.wantedMode());
      }, this.deps.timing.graceMs);
      this.downgradeTimer.unref?.();
    }
  }

  private logEvent(message: string): void {
    this.deps.log(message, { camera: this.id });
  }

  /** Main if anybody wants the full picture (grid viewers make do with it meanwhile), else grid. */
  private wantedMode(): Variant {
    if (!this.hasGridRun) return 'main';
    for (const variant of this.viewers.values()) if (variant === 'main') return 'main';
    return this.viewers.size > 0 ? 'grid' : 'main';
  }

  /** A new run in another mode, for the same viewers; their streams stay open throughout. */
  private restart(mode: Variant): void {
    this.logEvent(`camera ${this.label}: switching to the ${mode === 'main' ? 'full' : 'grid'} picture`);
    const child = this.endRun();
    if (child) void this.terminate(child);
    this.start(mode);
  }

  /** Stops ffmpeg and ends every viewer's stream; resolves when the child has exited. */
  async shutdown(): Promise<void> {
    for (const slot of this.viewers.keys()) slot.close();
    this.viewers.clear();
    this.stop();
    await Promise.all(this.exits);
  }

  snapshot(): CaptureSnapshot {
    return {
      state: this.state,
      reason: this.reason,
      failure: this.failure,
      viewers: this.viewers.size,
      fps: this.state === 'live' ? this.meter.rate(Date.now()) : 0,
      lastFrameAt: this.latest?.capturedAt,
      restarts: this.restarts,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      bytesOut: this.bytesOut,
      droppedFrames: this.droppedFrames,
      retryAt: this.retryAt,
      stderrTail: this.stderr.snapshot(),
      variant: this.mode,
    };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(mode: Variant): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.retryAt = undefined;
    const generation = ++this.generation;
    this.mode = mode;
    this.state = 'starting';
    this.stderr.clear();

    if (!this.deps.ffmpegPath && !this.snapshotUrl) {
      this.fail(generation, { kind: 'failed', reason: this.deps.missingFfmpegReason ?? 'ffmpeg not found' });
      return;
    }

    let child: CaptureProcess;
    try {
      child = this.snapshotUrl
        ? (this.deps.pollSnapshots ?? defaultPoller)(this.snapshotUrl, this.snapshotFps)
        : this.deps.spawn(this.deps.ffmpegPath!, this.args[mode]);
    } catch (error) {
      this.fail(generation, { kind: 'failed', reason: `ffmpeg could not be started: ${(error as Error).message}` });
      return;
    }
    this.child = child;
    this.logEvent(
      this.snapshotUrl
        ? `camera ${this.label}: polling snapshots`
        : `camera ${this.label}: ffmpeg started (pid ${child.pid ?? '?'})${mode === 'grid' && this.hasGridRun ? ' for the grid' : ''}`,
    );

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

    const splitter = new JpegSplitter();
    let seq = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (generation !== this.generation) return;
      for (const frame of splitter.push(chunk, (jpeg) => capturedFrame(this.id, ++seq, Date.now(), jpeg))) this.onFrame(frame);
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    // A viewer-less stop closes the pipes under a running reader; those errors are expected.
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});
    this.armWatchdog(generation);
  }

  /** A camera can accept the connection and then send nothing; ffmpeg would wait forever. */
  private armWatchdog(generation: number): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      if (generation !== this.generation || !this.child) return;
      const seconds = Math.round(this.deps.timing.stallMs / 1000);
      const child = this.child;
      this.generation += 1; // its exit, whenever it comes, is no longer this run's business
      this.terminate(child);
      this.fail(this.generation, { kind: 'timed out', reason: `timed out: no frame for ${seconds} s` });
    }, this.deps.timing.stallMs);
    this.stallTimer.unref?.();
  }

  private onFrame(frame: Frame): void {
    const now = frame.capturedAt;
    if (this.state !== 'live') {
      this.state = 'live';
      this.liveSince = now;
      this.reason = undefined;
      this.failure = undefined;
      this.logEvent(`camera ${this.label}: live`);
    } else if (this.liveSince !== undefined && now - this.liveSince >= this.deps.timing.healthyAfterMs) {
      this.failures = 0;
    }
    // Restarted in place: a new timer for every frame was garbage 15 times a second per camera.
    this.stallTimer?.refresh();
    this.latest = frame;
    this.framesIn += 1;
    this.meter.record(now);
    for (const slot of this.viewers.keys()) if (slot.offer(frame)) this.droppedFrames += 1;
  }

  /** A viewer's connection took a frame of `bytes` (counted for the metrics). */
  recordDelivery(bytes: number): void {
    this.framesOut += 1;
    this.bytesOut += bytes;
  }

  private onChildEnded(generation: number, child: CaptureProcess, description: string, code: number | null): void {
    if (this.child === child) this.child = undefined;
    // A run that was stopped on purpose, or superseded, ends quietly.
    if (generation !== this.generation) return;
    this.fail(generation, classifyFailure(description, this.stderr.snapshot(), code, this.sourceKind));
  }

  /** The run failed while wanted: go offline, and retry later if anybody still watches. */
  private fail(generation: number, failure: { kind: FailureKind; reason: string }): void {
    if (generation !== this.generation) return;
    clearTimeout(this.stallTimer);
    const { reason } = failure;
    this.reason = reason;
    this.failure = failure.kind;
    this.keepStill();
    this.liveSince = undefined;
    this.logEvent(`camera ${this.label}: offline: ${reason}`);
    if (this.viewers.size === 0) {
      this.state = 'idle';
      return;
    }
    const { restartDelayMs, maxRestartDelayMs, authRetryDelayMs } = this.deps.timing;
    const backoff = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** this.failures);
    const delay = failure.kind === 'authentication failed' ? Math.max(backoff, authRetryDelayMs) : backoff;
    this.failures += 1;
    this.state = 'backoff';
    this.retryAt = Date.now() + delay;
    this.restartTimer = setTimeout(() => {
      this.restarts += 1;
      this.start(this.wantedMode());
    }, delay);
    this.restartTimer.unref?.();
  }

  private stop(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    const child = this.endRun();
    if (!child) {
      this.state = 'idle';
      return;
    }
    this.state = 'stopping';
    this.logEvent(`camera ${this.label}: stopping ffmpeg (pid ${child.pid ?? '?'})`);
    void this.terminate(child).then(() => {
      if (this.state === 'stopping') this.state = 'idle';
    });
  }

  /** Ends the current run quietly: its exit, whenever it comes, is no longer anybody's business. */
  private endRun(): CaptureProcess | undefined {
    clearTimeout(this.restartTimer);
    clearTimeout(this.stallTimer);
    clearTimeout(this.downgradeTimer);
    this.restartTimer = undefined;
    this.downgradeTimer = undefined;
    this.retryAt = undefined;
    this.keepStill();
    this.liveSince = undefined;
    this.generation += 1;
    return this.child;
  }

  private keepStill(): void {
    if (this.latest) this.still = { ...this.latest, still: true };
    this.latest = undefined;
  }

  /** SIGTERM, then SIGKILL if ffmpeg has not exited in time; only ever our own child, by handle. */
  private terminate(child: CaptureProcess): Promise<void> {
    const exited = this.childExit;
    if (this.child === child) this.child = undefined;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), this.deps.timing.killAfterMs);
    killTimer.unref?.();
    return exited.then(() => clearTimeout(killTimer));
  }
}
