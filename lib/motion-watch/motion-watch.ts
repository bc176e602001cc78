import type { Capture } from '../capture/capture';
import type { CameraStream } from '../capture/camera-stream';
import type { CaptureDeps } from '../capture/capture';
import { LaunchFailure, ProcessSupervisor, type RunStatus } from '../capture/process-supervisor';
import { TranscoderProcess } from '../mjpeg/transcoder-process';
import { EventTracker, type TrackerItem } from '../motion/event-tracker';
import { GreyFrameSplitter } from '../motion/grey-frames';
import { MOTION_FRAME, type FrameVerdict, type MotionSettings, type TrackedEvent } from '../motion/types';
import { GREY_FRAME_BYTES, jpegMotionArgs, liveMotionArgs } from './decoder-args';
import type { DetectorLine, MotionDetection } from './detection';
import { JpegFedDecoder } from './jpeg-fed-decoder';
import { PeakPicture } from './peak-picture';

/** Who hears what a camera's motion watch sees: the live motion stream, the event store, the metrics. */
export type MotionListener = {
  verdict(cameraId: string, verdict: FrameVerdict): void;
  event(cameraId: string, update: TrackerItem): void;
  /** The full-size picture at the event's peak, each time a better one is picked. */
  picture(cameraId: string, event: TrackedEvent, jpeg: Buffer): void;
  /** The camera's detection stopped (its entry changed or went, or the server stops). */
  stopped(cameraId: string): void;
};

export type MotionWatchDeps = CaptureDeps & { detection: MotionDetection; listener: MotionListener };

export type MotionWatchSnapshot = RunStatus & { active: boolean; since: number | undefined; framesIn: number; lastFrameAt: number | undefined };

// Longer than any outage a timer can express (setTimeout caps at 2^31 - 1 ms): the decoder waits
// through the camera's outages, which its connection retries on its own schedule.
const NO_STALL_WATCHDOG_MS = 2 ** 31 - 1;
/** No frame for this long during an event: the camera has gone, and the event ends when it was last seen. */
export const CAMERA_GONE_MS = 5_000;

/**
 * One camera's motion detection, a consumer of the camera's stream like a viewer, except that it
 * never leaves: the camera runs with nobody watching. A decoder fed from the camera's one
 * connection makes small grey frames (lib/motion-watch/decoder-args.ts), the detector judges each
 * one off the main thread, the tracker turns verdicts into events, and during an event the full
 * picture at its peak is kept (peak-picture.ts).
 */
export class MotionWatch {
  private readonly run: ProcessSupervisor;
  private splitter = new GreyFrameSplitter(GREY_FRAME_BYTES);
  private readonly tracker: EventTracker;
  private readonly peak: PeakPicture;
  private readonly goneTimer: NodeJS.Timeout;
  private readonly detector: DetectorLine;
  private stopped = false;
  private framesIn = 0;
  private lastFrameAt: number | undefined;
  private peakAt: number | undefined;

  constructor(
    private readonly cameraId: string,
    label: string,
    /** The stream motion is detected on: the substream where there is one. */
    stream: CameraStream,
    /** The camera's full picture, for the event's snapshot. */
    fullPicture: Capture,
    settings: MotionSettings,
    private readonly deps: MotionWatchDeps,
  ) {
    this.tracker = new EventTracker({ endAfterSeconds: settings.endAfterSeconds });
    // Verdicts come in the order of their frames, from the detector's thread.
    this.detector = deps.detection.attach(cameraId, settings, (verdict) => this.onVerdict(verdict));
    this.peak = new PeakPicture(fullPicture, (jpeg) => {
      const event = this.tracker.current;
      if (event) deps.listener.picture(cameraId, event, jpeg);
    });
    const { live, capture } = stream;
    const everyMs = Math.floor(1000 / MOTION_FRAME.fps) - 10;
    this.run = new ProcessSupervisor(`${label} (motion)`, cameraId, 'test', [], { ...deps, timing: { ...deps.timing, stallMs: NO_STALL_WATCHDOG_MS } }, {
      launch: () => {
        if (!deps.ffmpegPath) throw new LaunchFailure({ kind: 'failed', reason: deps.missingFfmpegReason ?? 'ffmpeg not found' });
        return live ? new TranscoderProcess(live, deps.spawn, deps.ffmpegPath, liveMotionArgs()) : new JpegFedDecoder(capture, deps.spawn, deps.ffmpegPath, jpegMotionArgs(), everyMs);
      },
      onOutput: (chunk) => {
        for (const grey of this.splitter.push(chunk)) this.onGrey(grey);
      },
      wanted: () => !this.stopped,
      onRunEnded: () => {
        this.splitter = new GreyFrameSplitter(GREY_FRAME_BYTES);
      },
      retry: () => this.start(),
    });
    // The decoder outlives the camera's outages and so never says the camera went: frames stop.
    this.goneTimer = setInterval(() => this.everySecond(Date.now()), 1_000);
    this.goneTimer.unref?.();
    this.start();
  }

  snapshot(): MotionWatchSnapshot {
    const event = this.tracker.current;
    return { ...this.run.status(), active: event !== null, since: event?.startedAt, framesIn: this.framesIn, lastFrameAt: this.lastFrameAt };
  }

  get pid(): number | undefined {
    return this.run.pid;
  }

  /** Stops detecting; an event going on ends now. Resolves when the decoder has exited. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.goneTimer);
    this.run.stop();
    this.apply(this.tracker.end(this.lastFrameAt ?? Date.now()));
    this.peak.reset();
    this.detector.detach();
    this.deps.listener.stopped(this.cameraId);
    await this.run.exited();
  }

  private start(): void {
    this.run.start((child) => `motion decoder started (pid ${child.pid ?? '?'}), ${MOTION_FRAME.width}×${MOTION_FRAME.height} grey at ${MOTION_FRAME.fps} fps`);
  }

  private onGrey(grey: Uint8Array): void {
    const at = Date.now();
    this.run.progressed(at);
    this.framesIn += 1;
    this.lastFrameAt = at;
    this.detector.frame(grey, at);
  }

  private onVerdict(verdict: FrameVerdict): void {
    if (this.stopped) return;
    this.deps.listener.verdict(this.cameraId, verdict);
    this.apply(this.tracker.feed(verdict));
  }

  /**
   * Ends an event whose camera has gone, or that has had no motion for its endAfterSeconds (frames
   * or not); an event that goes on is told again, so that the store knows it is still going on
   * (an event a crash leaves open ends at its last update).
   */
  private everySecond(now: number): void {
    if (this.stopped || !this.tracker.current) return;
    const seen = this.lastFrameAt ?? 0;
    this.apply(now - seen >= CAMERA_GONE_MS ? this.tracker.end(seen) : this.tracker.tick(now));
    const going = this.tracker.current;
    if (going) this.deps.listener.event(this.cameraId, { kind: 'update', event: going });
  }

  private apply(updates: readonly TrackerItem[]): void {
    for (const update of updates) {
      this.deps.listener.event(this.cameraId, update);
      if (update.kind === 'end') {
        this.peak.reset();
        this.peakAt = undefined;
      } else if (!this.stopped && update.event.peakAt !== this.peakAt) {
        this.peakAt = update.event.peakAt;
        this.peak.peakAt(update.event.peakAt);
      }
    }
  }
}
