import { DEFAULT_TEST_FPS, DEFAULT_TEST_WIDTH, passesThrough, type CaptureOptions } from './args';

/** The most a grid tile needs: a tile is a fraction of the screen, and a wall is glanced at. */
export const GRID_MAX_WIDTH = 640;
export const GRID_MAX_FPS = 5;

/**
 * How to capture a camera for the grid when it has no substream: at most GRID_MAX_WIDTH wide and
 * GRID_MAX_FPS. Undefined when the main capture is already that small, or when making it smaller
 * would cost more than it saves (an MJPEG camera passed through untouched would have to be decoded
 * and encoded again; a snapshot camera is polled, not run through ffmpeg).
 */
export function gridCaptureOptions(options: CaptureOptions): CaptureOptions | undefined {
  if (options.snapshot || passesThrough(options)) return undefined;
  const isTest = options.input.kind === 'test';
  const width = options.width ?? (isTest ? DEFAULT_TEST_WIDTH : undefined);
  const fps = options.fps ?? (isTest ? DEFAULT_TEST_FPS : undefined);
  const smallEnough = width !== undefined && width <= GRID_MAX_WIDTH && fps !== undefined && fps <= GRID_MAX_FPS;
  if (smallEnough) return undefined;
  return {
    ...options,
    fps: Math.min(fps ?? GRID_MAX_FPS, GRID_MAX_FPS),
    // An unknown source size is only ever scaled down: a small camera must not be blown up.
    ...(width === undefined ? { maxWidth: GRID_MAX_WIDTH } : { width: Math.min(width, GRID_MAX_WIDTH) }),
  };
}
