/**
 * What the motion detector, the event tracker, the event store and the server's wiring share.
 * Coordinates are fractions of the picture (0 to 1, x to the right, y down), whatever its size.
 */

export type Point = readonly [x: number, y: number];
export type Polygon = readonly Point[];

export type Sensitivity = 'low' | 'medium' | 'high';

/** A camera's `motion` entry of cameras.json, with its defaults filled in. */
export type MotionSettings = {
  sensitivity: Sensitivity;
  /** Areas never looked at (a tree, a road, a timestamp overlay). */
  masks: readonly Polygon[];
  /** Named areas an event says it touched; motion anywhere unmasked still counts. */
  zones: readonly { name: string; polygon: Polygon }[];
  /** An event ends after this long without motion. */
  endAfterSeconds: number;
};

/** The small grey picture the detector works on: ffmpeg scales every camera's video to it. */
export const MOTION_FRAME = { width: 160, height: 90, fps: 5 } as const;

/** A box around moving pixels, in fractions of the picture. */
export type Box = { x: number; y: number; width: number; height: number };

/** The detector's verdict on one grey frame. */
export type FrameVerdict = {
  /** When the frame arrived (epoch ms). */
  at: number;
  /** Whether this frame shows motion (after masks, noise and light-change handling). */
  motion: boolean;
  /** How much moved: the fraction of the unmasked picture that changed, 0 to 1. */
  score: number;
  boxes: Box[];
  /** Names of the zones the moving pixels touched. */
  zones: string[];
  /** Moving pixels of this frame on a coarse grid (HEATMAP size), for the event's heatmap. */
  cells?: Uint8Array;
  /**
   * The whole picture changed at once (lights switched, exposure jumped, a day/night switch): the
   * detector took the new picture as its background and this frame says nothing about motion
   * (`motion` is false). The event tracker neither counts it for nor against an event.
   */
  lightChange?: boolean;
};

/** The coarse grid an event's heatmap is kept on. */
export const HEATMAP = { width: 32, height: 18 } as const;

/** An event as the tracker keeps it while it goes on and once it has ended. */
export type TrackedEvent = {
  startedAt: number;
  /** Null while the event goes on. */
  endedAt: number | null;
  zones: string[];
  /** The highest score seen, and when. */
  peak: number;
  peakAt: number;
  /** HEATMAP.width × HEATMAP.height cells, row by row, 0–255: where motion was, scaled to its most. */
  heatmap: Uint8Array;
};
