import type { FrameVerdict, MotionSettings } from './types';

/**
 * The messages between the server's main thread and the motion worker. `generation` counts a
 * camera's configurations, so a verdict on a frame sent before a reconfiguration or a removal is
 * recognised as stale and dropped, while still freeing its place in the camera's queue.
 */
export type ToWorker =
  | { type: 'configure'; cameraId: string; generation: number; settings: MotionSettings; width: number; height: number }
  | { type: 'remove'; cameraId: string }
  | { type: 'frame'; cameraId: string; generation: number; grey: Uint8Array; at: number };

export type FromWorker =
  | { type: 'verdict'; cameraId: string; generation: number; verdict: FrameVerdict; ms: number }
  | { type: 'failed'; cameraId: string; generation: number; message: string };
