import type { CameraConfig } from '../config/schema';
import { Capture, type CaptureDeps, type CaptureSnapshot } from './capture';
import type { Frame } from './frame';
import type { LatestFrameSlot } from './latest-frame-slot';

/** A viewer's hold on a camera. `release` may be called any number of times, from anywhere. */
export type Subscription = {
  readonly cameraId: string;
  readonly slot: LatestFrameSlot;
  release(): void;
};

/**
 * The process-wide map from camera id to its one capture. Every viewer of a camera, whatever page
 * or route it comes from, shares that camera's single ffmpeg.
 */
export class CaptureRegistry {
  private captures = new Map<string, { capture: Capture; config: string }>();

  constructor(private readonly deps: CaptureDeps) {}

  /**
   * Brings the captures in line with the enabled cameras: a camera whose entry did not change keeps
   * its capture and its viewers; a removed or changed one is stopped, ending its viewers' streams.
   */
  setCameras(cameras: readonly CameraConfig[]): void {
    const next = new Map<string, { capture: Capture; config: string }>();
    for (const camera of cameras.filter((candidate) => candidate.enabled)) {
      const config = JSON.stringify(camera);
      const current = this.captures.get(camera.id);
      next.set(camera.id, current?.config === config ? current : { capture: new Capture(camera.id, camera, this.deps), config });
    }
    for (const [id, current] of this.captures) {
      if (next.get(id) !== current) void current.capture.shutdown();
    }
    this.captures = next;
  }

  has(cameraId: string): boolean {
    return this.captures.has(cameraId);
  }

  /** Undefined for an unknown or disabled camera. */
  subscribe(cameraId: string): Subscription | undefined {
    const capture = this.captures.get(cameraId)?.capture;
    if (!capture) return undefined;
    const slot = capture.subscribe();
    let released = false;
    return {
      cameraId,
      slot,
      release: () => {
        if (released) return;
        released = true;
        capture.unsubscribe(slot);
      },
    };
  }

  snapshot(cameraId: string): CaptureSnapshot | undefined {
    return this.captures.get(cameraId)?.capture.snapshot();
  }

  latestFrame(cameraId: string): Frame | undefined {
    return this.captures.get(cameraId)?.capture.latestFrame();
  }

  /** Process ids of the running ffmpeg children (for tests and the health endpoint). */
  runningPids(): number[] {
    return [...this.captures.values()].flatMap(({ capture }) => (capture.pid === undefined ? [] : [capture.pid]));
  }

  /** Stops every ffmpeg and ends every viewer's stream; resolves when all children have exited. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.captures.values()].map(({ capture }) => capture.shutdown()));
  }
}
