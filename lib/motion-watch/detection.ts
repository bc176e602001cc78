import { MotionWorker } from '../motion/motion-worker';
import type { FrameVerdict, MotionSettings } from '../motion/types';

/** One camera's line to the detector: frames in, verdicts out (to the handler it attached with). */
export type DetectorLine = {
  /** False when the frame was dropped (the detector is still busy with the camera's earlier ones). */
  frame(grey: Uint8Array, at: number): boolean;
  detach(): void;
};

export type MotionDetection = {
  attach(cameraId: string, settings: MotionSettings, onVerdict: (verdict: FrameVerdict) => void): DetectorLine;
};

/**
 * Every camera's detection on the process's one worker thread (lib/motion/motion-worker.ts), with
 * each verdict routed back to its camera's watch. A camera whose entry changes gets a new watch
 * before the old one stops: the old one's detach then leaves the new one attached.
 */
export class WorkerDetection implements MotionDetection {
  private readonly handlers = new Map<string, (verdict: FrameVerdict) => void>();
  readonly worker: MotionWorker;

  constructor(onError: (error: Error) => void) {
    this.worker = new MotionWorker({ onVerdict: (cameraId, verdict) => this.handlers.get(cameraId)?.(verdict), onError });
  }

  attach(cameraId: string, settings: MotionSettings, onVerdict: (verdict: FrameVerdict) => void): DetectorLine {
    this.handlers.set(cameraId, onVerdict);
    this.worker.configure(cameraId, settings);
    return {
      frame: (grey, at) => this.handlers.get(cameraId) === onVerdict && this.worker.frame(cameraId, grey, at),
      detach: () => {
        if (this.handlers.get(cameraId) !== onVerdict) return;
        this.handlers.delete(cameraId);
        this.worker.remove(cameraId);
      },
    };
  }

  close(): Promise<void> {
    this.handlers.clear();
    return this.worker.close();
  }
}
