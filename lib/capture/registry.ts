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
  private captures = new Map<string, Capture>();

  constructor(private readonly deps: CaptureDeps) {}

  /** Creates a capture for each enabled camera. Cameras are read once, at start-up. */
  setCameras(cameras: readonly CameraConfig[]): void {
    this.captures = new Map(
      cameras.filter((camera) => camera.enabled).map((camera) => [camera.id, new Capture(camera.id, camera, this.deps)]),
    );
  }

  has(cameraId: string): boolean {
    return this.captures.has(cameraId);
  }

  /** Undefined for an unknown or disabled camera. */
  subscribe(cameraId: string): Subscription | undefined {
    const capture = this.captures.get(cameraId);
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
    return this.captures.get(cameraId)?.snapshot();
  }

  latestFrame(cameraId: string): Frame | undefined {
    return this.captures.get(cameraId)?.latestFrame();
  }

  /** Process ids of the running ffmpeg children (for tests and the health endpoint). */
  runningPids(): number[] {
    return [...this.captures.values()].flatMap((capture) => (capture.pid === undefined ? [] : [capture.pid]));
  }

  /** Stops every ffmpeg and ends every viewer's stream; resolves when all children have exited. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.captures.values()].map((capture) => capture.shutdown()));
  }
}
