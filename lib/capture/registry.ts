import type { CameraConfig } from '../config/schema';
import { gridCaptureOptions } from '../ffmpeg/grid-options';
import { Capture, type CaptureDeps, type CaptureSnapshot, type Variant } from './capture';
import type { LatestFrameSlot } from './latest-frame-slot';

/** A viewer's hold on a camera. `release` may be called any number of times, from anywhere. */
export type Subscription = {
  readonly cameraId: string;
  readonly slot: LatestFrameSlot;
  /** The viewer's connection took a frame of `bytes`: counted for the metrics. */
  delivered(bytes: number): void;
  release(): void;
};

export type { Variant };

type Entry = { capture: Capture; substream: Capture | undefined; config: string };

/**
 * The process-wide map from camera id to its one capture (and its substream's, if configured).
 * Every viewer of a camera, whatever page or route it comes from, shares that camera's ffmpeg.
 */
export class CaptureRegistry {
  private captures = new Map<string, Entry>();
  // Once stopping, no new hold may start a camera again (a grid connection renews its holds).
  private stopping = false;

  constructor(private readonly deps: CaptureDeps) {}

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
      if (next.get(id) !== current) void Promise.all([current.capture.shutdown(), current.substream?.shutdown()]);
    }
    this.captures = next;
  }

  private entry(camera: CameraConfig, config: string): Entry {
    const { substreamInput } = camera;
    return {
      // Without a substream, tiles get a smaller, slower run of the same camera (one upstream
      // connection: the camera page switches that run to the full picture while it is open).
      capture: new Capture(camera.id, camera, this.deps, { gridOptions: substreamInput ? undefined : gridCaptureOptions(camera) }),
      // The substream is already small: it is passed on at its own size and rate.
      substream:
        substreamInput &&
        new Capture(camera.id, { name: camera.name, input: substreamInput, rtspTransport: camera.rtspTransport }, this.deps, {
          label: `${camera.id} (substream)`,
        }),
      config,
    };
  }

  has(cameraId: string): boolean {
    return this.captures.has(cameraId);
  }

  /** Undefined for an unknown or disabled camera. The grid takes the substream where there is one. */
  subscribe(cameraId: string, variant: Variant = 'main'): Subscription | undefined {
    const entry = this.captures.get(cameraId);
    if (!entry || this.stopping) return undefined;
    const capture = variant === 'grid' && entry.substream ? entry.substream : entry.capture;
    const slot = capture === entry.substream ? capture.subscribe('main') : capture.subscribe(variant);
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
   * A camera's state as one: the main stream's while it runs, else the substream's (the grid's), with
   * the viewers of both.
   */
  snapshot(cameraId: string): CaptureSnapshot | undefined {
    const entry = this.captures.get(cameraId);
    if (!entry) return undefined;
    const main = entry.capture.snapshot();
    const substream = entry.substream?.snapshot();
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

  /** Each running ffmpeg child and the camera it serves (for the metrics). */
  processes(): { cameraId: string; pid: number }[] {
    return [...this.captures].flatMap(([cameraId, { capture, substream }]) =>
      [capture.pid, substream?.pid].flatMap((pid) => (pid === undefined ? [] : [{ cameraId, pid }])),
    );
  }

  /** Process ids of the running ffmpeg children (for tests and the health endpoint). */
  runningPids(): number[] {
    return this.allCaptures().flatMap((capture) => (capture.pid === undefined ? [] : [capture.pid]));
  }

  /** Stops every ffmpeg and ends every viewer's stream; resolves when all children have exited. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.allCaptures().map((capture) => capture.shutdown()));
  }

  private allCaptures(): Capture[] {
    return [...this.captures.values()].flatMap(({ capture, substream }) => (substream ? [capture, substream] : [capture]));
  }
}
