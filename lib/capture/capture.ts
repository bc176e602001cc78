import { buildFfmpegArgs, type CaptureOptions } from '../ffmpeg/args';
import { passwordForms } from '../ffmpeg/redact';
import { JpegSplitter } from '../mjpeg/jpeg-splitter';
import { capturedFrame, type Frame } from './frame';
import { LatestFrameSlot } from './latest-frame-slot';
import type { CaptureProcess } from './process';
import { LaunchFailure, ProcessSupervisor, type RunState, type SupervisorDeps } from './process-supervisor';
import { SnapshotPoller } from './snapshot-poller';
import { FrameRateMeter } from './frame-rate-meter';
import type { FailureKind } from './exit-reason';

export { DEFAULT_TIMING, type CaptureTiming } from './process-supervisor';

export type CaptureState = RunState;

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
  /**
   * Starts the run's process instead of spawning ffmpeg on the camera, e.g. a transcoder fed from
   * the camera's one connection (lib/mjpeg/transcoder-process.ts). Gets the run's arguments.
   */
  launch?: (args: string[]) => CaptureProcess;
  /** ffmpeg's input arguments instead of the source's own, for such a process. */
  input?: readonly string[];
};

export type CaptureDeps = SupervisorDeps & {
  /** Absent when no ffmpeg was found: the camera then stays offline with `missingFfmpegReason`. */
  ffmpegPath: string | undefined;
  missingFfmpegReason?: string;
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
 * One camera's JPEG frames for its viewers: the ffmpeg that makes them is started by the first
 * viewer, stopped a grace period after the last one leaves, and restarted with backoff when it
 * fails while somebody watches (lib/capture/process-supervisor.ts). While only grid tiles watch, a
 * camera that has a grid run is captured smaller and slower.
 */
export class Capture {
  private readonly viewers = new Map<LatestFrameSlot, Variant>();
  /** What the current (or next) run serves. */
  private mode: Variant = 'main';
  private latest: Frame | undefined;
  /** The last frame of an earlier run, for a new viewer to look at while ffmpeg starts. */
  private still: Frame | undefined;
  private framesIn = 0;
  private framesOut = 0;
  private bytesOut = 0;
  private droppedFrames = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  private downgradeTimer: NodeJS.Timeout | undefined;
  private splitter = new JpegSplitter();
  private seq = 0;
  private readonly meter = new FrameRateMeter();
  private readonly run: ProcessSupervisor;
  private readonly args: Record<Variant, string[]>;
  private readonly hasGridRun: boolean;
  private readonly snapshotUrl: string | undefined;
  private readonly snapshotFps: number;
  private readonly launches: boolean;

  constructor(
    readonly id: string,
    options: CaptureOptions,
    private readonly deps: CaptureDeps,
    { label = id, gridOptions, launch, input }: CaptureExtras = {},
  ) {
    const main = buildFfmpegArgs(options, input);
    this.args = { main, grid: gridOptions ? buildFfmpegArgs(gridOptions, input) : main };
    this.hasGridRun = gridOptions !== undefined;
    this.launches = launch !== undefined;
    this.snapshotUrl = options.snapshot && options.input.kind === 'http' ? options.input.url : undefined;
    this.snapshotFps = options.fps ?? 1;
    const url = options.input.kind === 'rtsp' || options.input.kind === 'http' ? options.input.url : '';
    this.run = new ProcessSupervisor(label, id, options.input.kind, passwordForms(url), deps, {
      launch: () => {
        if (launch) return launch(this.args[this.mode]);
        if (this.snapshotUrl) return (this.deps.pollSnapshots ?? defaultPoller)(this.snapshotUrl, this.snapshotFps);
        if (!this.deps.ffmpegPath) throw new LaunchFailure({ kind: 'failed', reason: this.deps.missingFfmpegReason ?? 'ffmpeg not found' });
        return this.deps.spawn(this.deps.ffmpegPath, this.args[this.mode]);
      },
      onOutput: (chunk) => {
        for (const frame of this.splitter.push(chunk, (jpeg) => capturedFrame(this.id, ++this.seq, Date.now(), jpeg))) this.onFrame(frame);
      },
      wanted: () => this.viewers.size > 0,
      onRunEnded: () => this.keepStill(),
      retry: () => this.start(this.wantedMode()),
    });
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
    const state = this.run.state;
    if (state === 'idle' || state === 'stopping') this.start(this.wantedMode());
    else if (this.mode !== this.wantedMode() && state !== 'backoff') this.restart(this.wantedMode());
    const ready = this.run.state === 'live' ? this.latest : this.still;
    if (ready) slot.offer(ready);
    return slot;
  }

  unsubscribe(slot: LatestFrameSlot): void {
    if (!this.viewers.delete(slot)) return;
    slot.close();
    const state = this.run.state;
    if (state === 'idle' || state === 'stopping') return;
    if (this.viewers.size === 0) {
      clearTimeout(this.graceTimer);
      this.graceTimer = setTimeout(() => this.stop(), this.deps.timing.graceMs);
      this.graceTimer.unref?.();
    } else if (this.mode !== this.wantedMode() && !this.downgradeTimer) {
      // The camera page was left but tiles still watch: after the same grace (the user may come
      // straight back), the camera goes back to the cheaper grid run.
      this.downgradeTimer = setTimeout(() => {
        this.downgradeTimer = undefined;
        if (this.mode !== this.wantedMode() && this.run.state !== 'backoff' && this.viewers.size > 0) this.restart(this.wantedMode());
      }, this.deps.timing.graceMs);
      this.downgradeTimer.unref?.();
    }
  }

  /** Main if anybody wants the full picture (grid viewers make do with it meanwhile), else grid. */
  private wantedMode(): Variant {
    if (!this.hasGridRun) return 'main';
    for (const variant of this.viewers.values()) if (variant === 'main') return 'main';
    return this.viewers.size > 0 ? 'grid' : 'main';
  }

  private start(mode: Variant): void {
    this.mode = mode;
    this.beginRun();
    this.run.start((child) => this.describeRun(child));
  }

  /** A new run in another mode, for the same viewers; their streams stay open throughout. */
  private restart(mode: Variant): void {
    this.run.log(`switching to the ${mode === 'main' ? 'full' : 'grid'} picture`);
    clearTimeout(this.downgradeTimer);
    this.downgradeTimer = undefined;
    this.mode = mode;
    this.beginRun();
    this.run.replace((child) => this.describeRun(child));
  }

  private beginRun(): void {
    this.splitter = new JpegSplitter();
    this.seq = 0;
  }

  private describeRun(child: CaptureProcess): string {
    if (this.snapshotUrl) return 'polling snapshots';
    if (this.launches) return `transcoder started, fed from the camera's video${this.mode === 'grid' && this.hasGridRun ? ', for the grid' : ''}`;
    return `ffmpeg started (pid ${child.pid ?? '?'})${this.mode === 'grid' && this.hasGridRun ? ' for the grid' : ''}`;
  }

  /** Stops ffmpeg and ends every viewer's stream; resolves when the child has exited. */
  async shutdown(): Promise<void> {
    for (const slot of this.viewers.keys()) slot.close();
    this.viewers.clear();
    this.stop();
    await this.run.exited();
  }

  snapshot(): CaptureSnapshot {
    const status = this.run.status();
    return {
      ...status,
      viewers: this.viewers.size,
      fps: status.state === 'live' ? this.meter.rate(Date.now()) : 0,
      lastFrameAt: this.latest?.capturedAt,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      bytesOut: this.bytesOut,
      droppedFrames: this.droppedFrames,
      variant: this.mode,
    };
  }

  get pid(): number | undefined {
    return this.run.pid;
  }

  private onFrame(frame: Frame): void {
    this.run.progressed(frame.capturedAt);
    this.latest = frame;
    this.framesIn += 1;
    this.meter.record(frame.capturedAt);
    for (const slot of this.viewers.keys()) if (slot.offer(frame)) this.droppedFrames += 1;
  }

  /** A viewer's connection took a frame of `bytes` (counted for the metrics). */
  recordDelivery(bytes: number): void {
    this.framesOut += 1;
    this.bytesOut += bytes;
  }

  private stop(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    clearTimeout(this.downgradeTimer);
    this.downgradeTimer = undefined;
    this.run.stop();
  }

  private keepStill(): void {
    if (this.latest) this.still = { ...this.latest, still: true };
    this.latest = undefined;
  }
}
