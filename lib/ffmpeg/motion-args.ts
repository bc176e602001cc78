import { MOTION_FRAME } from '../motion/types';

/**
 * The picture the motion detector works on, from any camera: 5 frames a second, 160×90, grey.
 * `fps` first, so the frames it drops are never scaled; `area` averages every source pixel into
 * the small one (a plain mean: it lowers the noise the detector has to see through, and aliases
 * nothing, whatever the source size); grey because only brightness is compared, and the IR
 * switch of a camera at dusk turns its colour off anyway.
 */
export const MOTION_FILTER = `fps=${MOTION_FRAME.fps},scale=${MOTION_FRAME.width}:${MOTION_FRAME.height}:flags=area,format=gray`;

/** Bytes of one frame of the motion output: one byte per pixel, no header, back to back. */
export const MOTION_FRAME_BYTES = MOTION_FRAME.width * MOTION_FRAME.height;

/**
 * The output-side arguments of the motion picture, raw grey frames on `output` (stdout by default;
 * `pipe:3` for a second output of the camera's one ffmpeg, spawned with a fourth stdio pipe). No
 * timestamps travel with raw frames, so `passthrough` keeps ffmpeg from duplicating frames to
 * fill a stall: the reader stamps frames as they arrive. ffmpeg flushes a pipe after each frame.
 */
export function motionOutputArgs({ output = 'pipe:1' }: { output?: string } = {}): string[] {
  return ['-an', '-sn', '-dn', '-vf', MOTION_FILTER, '-fps_mode', 'passthrough', '-f', 'rawvideo', output];
}
