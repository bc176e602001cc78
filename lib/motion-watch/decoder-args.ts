import { PROTOCOL_WHITELIST } from '../ffmpeg/args';
import { TRANSCODER_INPUT } from '../ffmpeg/live-args';
import { MOTION_FILTER, MOTION_FRAME_BYTES, motionOutputArgs } from '../ffmpeg/motion-args';

/**
 * The motion decoder's ffmpeg: the camera's stream from stdin, out as the detector's raw grey
 * frames (lib/ffmpeg/motion-args.ts, the same arguments the motion evaluation decodes its scenes
 * with), cut apart again by lib/motion/grey-frames.ts. One decoding thread: a small picture at a
 * few frames a second needs no more, and threads would hold frames back.
 */
const common = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-threads', '1'];

/**
 * From the camera's own video (fragmented MP4, as the MJPEG transcoder reads it). Every frame is
 * decoded (later ones are predicted from it); the fps filter keeps 5 a second by the stream's own
 * timestamps.
 */
export function liveMotionArgs(): string[] {
  return [...common, ...TRANSCODER_INPUT, ...motionOutputArgs()];
}

/**
 * From a camera's JPEGs, which lib/motion-watch/jpeg-fed-decoder.ts already feeds at the
 * detector's rate: a pipe of JPEGs has no timestamps of its own, so the fps filter would go by
 * the demuxer's assumed 25 fps and drop most of them.
 */
export function jpegMotionArgs(): string[] {
  const output = motionOutputArgs();
  const filters = output.indexOf('-vf') + 1;
  output[filters] = MOTION_FILTER.replace(/^fps=[^,]*,/, '');
  return [...common, '-protocol_whitelist', PROTOCOL_WHITELIST.pipe, '-probesize', '32', '-analyzeduration', '0', '-f', 'mjpeg', '-i', 'pipe:0', ...output];
}

export const GREY_FRAME_BYTES = MOTION_FRAME_BYTES;
