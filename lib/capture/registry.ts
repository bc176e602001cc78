import type { CameraConfig } from '../config/schema';
import { gridCaptureOptions } from '../ffmpeg/grid-options';
import type { CaptureDeps, Variant } from './capture';
import { cameraStream, shutdownStream, streamProcesses, streamSnapshot, type CameraStream, type ProcessRole, type StreamSnapshot } from './camera-stream';
import type { LatestFrameSlot } from './latest-frame-slot';
import type { LiveFeed } from '../live/live-feed';
import type { MotionDetection } from '../motion-watch/detection';
import { MotionWatch, type MotionListener, type MotionWatchSnapshot } from '../motion-watch/motion-watch';
import { ENCODE_COST } from '../ffmpeg/live-args';
import { Recorder, type RecorderDeps } from '../recording/recorder';
import type { RecordingStatus } from '../recording/types';

/** A viewer's hold on a camera. `release` may be called any number of times, from anywhere. */
export type Subscription = {
  readonly cameraId: string;
  readonly slot: LatestFrameSlot;
  /** The viewer's connection took a frame of `bytes`: counted for the metrics. */
  delivered(bytes: number): void;
  release(): void;
};

/** A browser's hold on a camera's own video. `release` may be called any number of times. */
export type VideoSubscription = {
  readonly cameraId: string;
  readonly feed: LiveFeed;
  /** The viewer's connection took a part of `bytes`: counted for the metrics. */
  delivered(bytes: number): void;
  release(): void;
};

export type { Variant };

type Entry = {
  main: CameraStream;
  substream: CameraStream | undefined;
  motion: MotionWatch | undefined;
  recorder: Recorder | undefined;
  /** Why a camera asked to record is not, when it cannot be (its source has no video of its own). */
  notRecorded: RecordingStatus | undefined;
  config: string;
};

/** Where cameras with motion on send their frames and what they see (absent: motion is not detected). */
export type MotionServices = { detection: MotionDetection; listener: MotionListener };

/**
 * The process-wide map from camera id to its one capture (and its substream's, if configured).
 * Every viewer of a camera, whatever page or route it comes from, shares that camera's ffmpeg.
 */
export class CaptureRegistry {
  private captures = new Map<string, Entry>();
  // Once stopping, no new hold may start a camera again (a grid connection renews its holds).
  private stopping = false;

  constructor(
    private readonly deps: CaptureDeps,
    private readonly motion?: MotionServices,
    private readonly recording?: RecorderDeps,
  ) {}

  /**
   * Brings the captures in line with the enabled cameras: a camera whose entry did not change keeps
   * its capture and its viewers; a removed or changed one is stopped, ending its viewers' streams.
   */
  setCameras(cameras: readonly CameraConfig[]): void {
    const next = new Map<string, Entry>();
    for (const camera of cameras.filter((candidate) => candidate.enabled)) {
      const config = JSON.stringify(camera);
      const current = this.captures.get(camera.id);
      next.set(camera.id, current?.config === config ? current : this.entry(camera, config));
    }
    for (const [id, current] of this.captures) {
      if (next.get(id) !== current) void shutdownEntry(current);
    }
    this.captures = next;
  }

  private entry(camera: CameraConfig, config: string): Entry {
    const { substreamInput } = camera;
    // Without a substream, tiles get a smaller, slower run of the same camera (one upstream
    // connection: the camera page switches that run to the full picture while it is open).
    const main = cameraStream(camera.id, camera, this.deps, { gridOptions: substreamInput ? undefined : gridCaptureOptions(camera) });
    // The substream is already small: it is passed on at its own size and rate.
    const substream =
      substreamInput &&
      cameraStream(camera.id, { name: camera.name, input: substreamInput, rtspTransport: camera.rtspTransport, rtspClient: camera.rtspClient }, this.deps, {
        label: `${camera.id} (substream)`,
      });
    // Motion is looked for on the smaller stream; the event's picture is taken from the full one.
    const motion =
      camera.motion && this.motion && !this.stopping
        ? new MotionWatch(camera.id, substream ? `${camera.id} (substream)` : camera.id, substream ?? main, main.capture, camera.motion, { ...this.deps, ...this.motion })
        : undefined;
    const { recorder, notRecorded } = this.recorderOf(camera, main);
    return { main, substream, motion, recorder, notRecorded, config };
  }

  /** The main stream's own video is recorded, copied; a source watched as MJPEG has none to copy. */
  private recorderOf(camera: CameraConfig, main: CameraStream): Pick<Entry, 'recorder' | 'notRecorded'> {
    const record = camera.record;
    if (!record || record.mode === 'off' || this.stopping) return { recorder: undefined, notRecorded: undefined };
    if (!this.recording) return { recorder: undefined, notRecorded: { mode: record.mode, active: false, reason: 'recording is not available on this server (see its log)', droppedFragments: 0, bytesWritten: 0 } };
    if (!main.live) {
      const reason = `not recorded: this source has no H.264/H.265 of its own to copy (it is watched as MJPEG); "codec": "h264" encodes it (${ENCODE_COST})`;
      return { recorder: undefined, notRecorded: { mode: record.mode, active: false, reason, droppedFragments: 0, bytesWritten: 0 } };
    }
    const recorder = new Recorder(camera.id, main.live, record, this.recording);
    recorder.start();
    return { recorder, notRecorded: undefined };
  }

  has(cameraId: string): boolean {
    return this.captures.has(cameraId);
  }

  /** Undefined for an unknown or disabled camera. The grid takes the substream where there is one. */
  subscribe(cameraId: string, variant: Variant = 'main'): Subscription | undefined {
    const entry = this.captures.get(cameraId);
    if (!entry || this.stopping) return undefined;
    const stream = variant === 'grid' && entry.substream ? entry.substream : entry.main;
    const { capture } = stream;
    const slot = stream === entry.substream ? capture.subscribe('main') : capture.subscribe(variant);
    let released = false;
    return {
      cameraId,
      slot,
      delivered: (bytes) => capture.recordDelivery(bytes),
      release: () => {
        if (released) return;
        released = true;
        capture.unsubscribe(slot);
      },
    };
  }

  /**
   * A hold on a camera's own video (H.264 or H.265, copied from its one connection), for a browser
   * that plays it; undefined for a camera whose source has none (MJPEG, webcams, files, test
   * patterns), which is then watched as MJPEG. The grid takes the substream where there is one.
   */
  subscribeVideo(cameraId: string, variant: Variant = 'main'): VideoSubscription | undefined {
    const entry = this.captures.get(cameraId);
    if (!entry || this.stopping) return undefined;
    const stream = variant === 'grid' && entry.substream ? entry.substream : entry.main;
    const { live, video } = stream;
    if (!live) return undefined;
    const feed = live.subscribe();
    video.viewers += 1;
    let released = false;
    return {
      cameraId,
      feed,
      delivered: (bytes) => {
        video.framesOut += 1;
        video.bytesOut += bytes;
      },
      release: () => {
        if (released) return;
        released = true;
        video.viewers -= 1;
        live.unsubscribe(feed);
      },
    };
  }

  /**
   * A camera's state as one: the main stream's while it runs, else the substream's (the grid's), with
   * the viewers of both.
   */
  snapshot(cameraId: string): StreamSnapshot | undefined {
    const entry = this.captures.get(cameraId);
    if (!entry) return undefined;
    const main = streamSnapshot(entry.main);
    const substream = entry.substream && streamSnapshot(entry.substream);
    if (!substream) return main;
    const shown = main.state !== 'idle' || substream.state === 'idle' ? main : substream;
    const sum = (key: 'viewers' | 'restarts' | 'framesOut' | 'bytesOut' | 'droppedFrames') => main[key] + substream[key];
    return {
      ...shown,
      viewers: sum('viewers'),
      restarts: sum('restarts'),
      framesOut: sum('framesOut'),
      bytesOut: sum('bytesOut'),
      droppedFrames: sum('droppedFrames'),
    };
  }

  /** A camera's motion detection, if it has it on. */
  motionSnapshot(cameraId: string): MotionWatchSnapshot | undefined {
    return this.captures.get(cameraId)?.motion?.snapshot();
  }

  /** A camera's recording, if it asks for one. */
  recordingStatus(cameraId: string): RecordingStatus | undefined {
    const entry = this.captures.get(cameraId);
    return entry?.recorder?.status() ?? entry?.notRecorded;
  }

  /** The files being written now, relative to the recordings directory (retention leaves them alone). */
  recordingPaths(): Set<string> {
    const paths = new Set<string>();
    for (const entry of this.captures.values()) {
      const writing = entry.recorder?.writingPath;
      if (writing) paths.add(writing);
    }
    return paths;
  }

  /** Each running ffmpeg child, the camera it serves and what it does (for the metrics). */
  processes(): { cameraId: string; pid: number; role: ProcessRole | 'motion' }[] {
    return [...this.captures].flatMap(([cameraId, entry]) => {
      const motionPid = entry.motion?.pid;
      const motion = motionPid === undefined ? [] : [{ cameraId, pid: motionPid, role: 'motion' as const }];
      return [...streamsOf(entry).flatMap((stream) => streamProcesses(stream).map((process) => ({ cameraId, ...process }))), ...motion];
    });
  }

  /** Process ids of the running ffmpeg children (for tests and the health endpoint). */
  runningPids(): number[] {
    return this.processes().map(({ pid }) => pid);
  }

  /** Stops every ffmpeg and ends every viewer's stream; resolves when all children have exited. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.captures.values()].map(shutdownEntry));
  }
}

/** Consumers first: an event going on ends cleanly, the segment being written is flushed and indexed. */
async function shutdownEntry(entry: Entry): Promise<void> {
  await Promise.all([entry.motion?.stop(), entry.recorder?.stop()]);
  await Promise.all(streamsOf(entry).map(shutdownStream));
}

function streamsOf({ main, substream }: Entry): CameraStream[] {
  return substream ? [main, substream] : [main];
}
