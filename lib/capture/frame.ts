/** One JPEG from a camera, shared read-only by every viewer. */
export type Frame = {
  readonly cameraId: string;
  /** Counts up from 1 for each capture run. */
  readonly seq: number;
  /** Date.now() when the frame left ffmpeg. */
  readonly capturedAt: number;
  readonly jpeg: Buffer;
  /** The last frame of a run that has ended: something to look at while the camera starts, not live. */
  readonly still?: true;
};
