import type { RtspTransport } from '../config/source';
import type { TestPattern } from '../config/source';
import { buildFfmpegArgs, DEFAULT_TEST_FPS, filterArgs, inputArgs, NETWORK_TIMEOUT_MICROSECONDS, PROTOCOL_WHITELIST, testPatternGraph, type CaptureOptions } from './args';

/**
 * One fragment (moof+mdat) per frame as it arrives, after an init segment with no samples:
 * `frag_keyframe` alone would hold a whole GOP back (2 s late with a 2 s GOP).
 */
export const FRAGMENT_EVERY_FRAME = '+frag_every_frame+empty_moov+default_base_moof';

export type LiveReaderOptions = { url: string; rtspTransport?: RtspTransport | undefined };

/**
 * The one ffmpeg that reads an RTSP camera: its video copied as it is (no decode, no encode) into
 * fragmented MP4 on stdout, for every consumer of the camera (browsers' players, the MJPEG
 * transcoder, the recorder). A small probe brings the first fragment in ~0.1–0.2 s instead of
 * 2–3 s. Not `-fflags nobuffer`: with a copy it throws away the keyframe read while probing, and
 * the first picture would wait a whole GOP more.
 */
export function liveReaderArgs({ url, rtspTransport }: LiveReaderOptions): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-protocol_whitelist',
    PROTOCOL_WHITELIST.rtsp,
    '-rtsp_transport',
    rtspTransport ?? 'tcp',
    '-timeout',
    String(NETWORK_TIMEOUT_MICROSECONDS),
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-i',
    url,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-c:v',
    'copy',
    ...FRAGMENTED_OUTPUT,
  ];
}

/**
 * Whether a source has video of its own for browsers to play and the recorder to copy: an RTSP
 * camera's H.264 or H.265, and any other source encoded with `"codec": "h264"`. Everything else
 * is watched as MJPEG.
 */
export function hasOwnVideo(options: Pick<CaptureOptions, 'input' | 'codec'>): boolean {
  return options.input.kind === 'rtsp' || options.codec === 'h264';
}

/** What encoding a source to H.264 costs, measured (README, "Recording and playback"). */
export const ENCODE_COST = 'about 9 % of a core per 1280×720 camera at 15 fps';

/** The H.264 encoding a source that sends none gets: what cameras do for live viewing (no B-frames). */
const LIVE_H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p'];

/**
 * An HTTP camera, a webcam or a file encoded as an IP camera sends its video (`"codec": "h264"`):
 * one ffmpeg reads the source and writes H.264 as fragmented MP4, with a keyframe every 2 s
 * whatever the source's rate. From there it is one connection like an RTSP camera's.
 */
export function encodedSourceArgs(options: CaptureOptions): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...inputArgs(options),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    ...filterArgs(options, false),
    ...LIVE_H264,
    '-force_key_frames',
    'expr:gte(t,n_forced*2)',
    ...FRAGMENTED_OUTPUT,
  ];
}

const FRAGMENTED_OUTPUT = ['-f', 'mp4', '-movflags', FRAGMENT_EVERY_FRAME, 'pipe:1'];

/**
 * A test pattern as an IP camera sends it: H.264, encoded as cameras do for live viewing (no
 * B-frames, a keyframe every 2 s), fragmented as the copy of a real camera's video is. The demo
 * of the no-transcode path, with no camera at hand.
 */
export function h264TestPatternArgs(options: CaptureOptions, pattern: TestPattern): string[] {
  const fps = options.fps ?? DEFAULT_TEST_FPS;
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    testPatternGraph(options, pattern),
    '-an',
    ...LIVE_H264,
    '-g',
    String(fps * 2),
    ...FRAGMENTED_OUTPUT,
  ];
}

/**
 * The MJPEG transcoder's input: the camera's fragmented MP4 on stdin. `low_delay` keeps the
 * decoder from holding frames for its threads (3 frames, 200 ms at 15 fps, measured here), and
 * the small probe lets the first JPEG follow the first fragment at once.
 */
export const TRANSCODER_INPUT: readonly string[] = [
  '-protocol_whitelist',
  PROTOCOL_WHITELIST.pipe,
  '-probesize',
  '32',
  '-analyzeduration',
  '0',
  '-flags',
  'low_delay',
  '-f',
  'mp4',
  '-i',
  'pipe:0',
];

/** JPEGs for MJPEG viewers, made from the camera's video on stdin instead of a second connection. */
export function transcoderArgs(options: CaptureOptions): string[] {
  return buildFfmpegArgs(options, TRANSCODER_INPUT);
}

/**
 * The transcoder's arguments for a start that first decodes the frames since the last keyframe
 * (all needed to reach the current one): pictures before `liveAtSeconds` of the stream (which
 * starts at 0 at that keyframe) are decoded but not made into JPEGs, so the first JPEG is of now,
 * not of the keyframe up to a GOP ago. A snapshot takes the first one.
 */
export function skippingCatchUp(args: readonly string[], liveAtSeconds: number): string[] {
  if (!(liveAtSeconds > 0)) return [...args];
  // Escaped for the filtergraph: a bare comma would end the filter.
  const select = `select=gte(t\\,${liveAtSeconds.toFixed(3)})`;
  const filters = args.indexOf('-vf');
  if (filters >= 0) return [...args.slice(0, filters + 1), `${select},${args[filters + 1]}`, ...args.slice(filters + 2)];
  const output = args.indexOf('-fps_mode');
  const at = output >= 0 ? output : args.length - 3;
  return [...args.slice(0, at), '-vf', select, ...args.slice(at)];
}
