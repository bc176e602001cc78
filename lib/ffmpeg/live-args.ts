import type { RtspTransport } from '../config/source';
import { buildFfmpegArgs, NETWORK_TIMEOUT_MICROSECONDS, PROTOCOL_WHITELIST, type CaptureOptions } from './args';

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
    '-f',
    'mp4',
    '-movflags',
    FRAGMENT_EVERY_FRAME,
    'pipe:1',
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
