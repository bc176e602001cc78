import type { RtspTransport, SourceSpec } from '../config/source';

/** What argument building needs of a camera: no id, no status, nothing that is not ffmpeg's business. */
export type CaptureOptions = {
  name: string;
  input: SourceSpec;
  fps?: number;
  width?: number;
  /** Scale down to this width if the source is wider; never up. For sources of unknown size. */
  maxWidth?: number;
  quality?: number;
  rtspTransport?: RtspTransport;
  /** 'ffmpeg' makes ffmpeg read an RTSP camera even where camdash's own client could. */
  rtspClient?: 'builtin' | 'ffmpeg';
  snapshot?: boolean;
  /**
   * A source watched as MJPEG (a test pattern, an HTTP camera, a webcam, a file) encoded as this, as
   * an IP camera sends it: it then has video of its own, played by browsers and recorded.
   */
  codec?: 'h264';
};

export const DEFAULT_QUALITY = 90;
export const DEFAULT_TEST_WIDTH = 640;
export const DEFAULT_TEST_FPS = 10;
/**
 * The protocols ffmpeg may open for each kind of source. Without a list, a source (or what a
 * camera's server answers, e.g. a playlist) could make ffmpeg read local files or reach other
 * protocols; with it, an rtsp:// camera can only ever be RTSP and its transports.
 */
export const PROTOCOL_WHITELIST = {
  rtsp: 'rtsp,rtsps,rtp,srtp,udp,tcp,tls',
  http: 'http,https,tcp,tls',
  file: 'file',
  v4l2: 'file',
  pipe: 'pipe',
} as const;

/** Every network read gives up after this long, so no ffmpeg hangs forever on a dead camera. */
export const NETWORK_TIMEOUT_MICROSECONDS = 10_000_000;

/**
 * ffmpeg's argument array for one camera: read the source (or `input`, e.g. the camera's video
 * from a pipe), write a stream of JPEGs to stdout. Pure, so that every source kind is unit-tested
 * without a camera.
 */
export function buildFfmpegArgs(options: CaptureOptions, input?: readonly string[]): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...(input ?? inputArgs(options)),
    '-an',
    '-sn',
    '-dn',
    // Video from a pipe is the source's full picture, whatever kind the source is.
    ...filterArgs(options, input === undefined && options.input.kind === 'test'),
    // image2pipe would otherwise duplicate frames to a constant rate, adding work and latency.
    '-fps_mode',
    'passthrough',
    ...(passesThrough(options)
      ? ['-c:v', 'copy']
      : ['-c:v', 'mjpeg', '-q:v', String(qualityToQscale(options.quality ?? DEFAULT_QUALITY))]),
    '-f',
    'image2pipe',
    'pipe:1',
  ];
}

/**
 * An MJPEG camera's JPEGs go to viewers as they are, unless the config asks for another size, rate
 * or quality: no decode, no encode, almost no CPU.
 */
export function passesThrough(options: CaptureOptions): boolean {
  return options.input.kind === 'http' && !options.fps && !options.width && !options.maxWidth && !options.quality;
}

export function inputArgs(options: CaptureOptions): string[] {
  const { input } = options;
  switch (input.kind) {
    case 'rtsp':
      return [
        '-protocol_whitelist',
        PROTOCOL_WHITELIST.rtsp,
        '-rtsp_transport',
        options.rtspTransport ?? 'tcp',
        '-timeout',
        String(NETWORK_TIMEOUT_MICROSECONDS),
        '-fflags',
        'nobuffer',
        '-flags',
        'low_delay',
        '-i',
        input.url,
      ];
    case 'http':
      return ['-protocol_whitelist', PROTOCOL_WHITELIST.http, '-rw_timeout', String(NETWORK_TIMEOUT_MICROSECONDS), '-i', input.url];
    case 'file':
      return ['-protocol_whitelist', PROTOCOL_WHITELIST.file, '-re', '-stream_loop', '-1', '-i', input.path];
    case 'v4l2':
      return ['-protocol_whitelist', PROTOCOL_WHITELIST.v4l2, '-f', 'v4l2', ...(options.fps ? ['-framerate', String(options.fps)] : []), '-i', input.device];
    case 'test':
      return ['-re', '-f', 'lavfi', '-i', testPatternGraph(options, input.pattern)];
  }
}

export function filterArgs(options: CaptureOptions, generatedToSize: boolean): string[] {
  const filters: string[] = [];
  // A test pattern is generated at the right rate and size already.
  if (!generatedToSize) {
    if (options.fps) filters.push(`fps=${options.fps}`);
    if (options.width) filters.push(`scale=${options.width}:-2`);
    // Quoted so that the comma inside min() is not read as the next filter.
    else if (options.maxWidth) filters.push(`scale='min(${options.maxWidth},iw)':-2`);
  }
  return filters.length > 0 ? ['-vf', filters.join(',')] : [];
}

export function testPatternGraph(options: CaptureOptions, pattern: string): string {
  const width = options.width ?? DEFAULT_TEST_WIDTH;
  const height = evenRound((width * 9) / 16);
  const rate = options.fps ?? DEFAULT_TEST_FPS;
  const fontSize = Math.max(12, Math.round(height / 12));
  const label = overlayText(options.name);
  const box = `fontcolor=white:fontsize=${fontSize}:box=1:boxcolor=black@0.6:boxborderw=${Math.round(fontSize / 3)}`;
  return [
    `${pattern}=size=${width}x${height}:rate=${rate}`,
    // Top right: testsrc2 prints its own timecode at the top left.
    `drawtext=text='${label}':x=w-tw-${fontSize}:y=${fontSize}:${box}`,
    // localtime, not pts: the clock shows that the picture is live, and when it was captured.
    `drawtext=text='%{localtime}':x=w-tw-${fontSize}:y=h-th-${fontSize}:${box}`,
  ].join(',');
}

/**
 * drawtext's text goes through three levels of escaping (filtergraph, option, expansion); a name
 * reduced to characters none of them treat specially needs none.
 */
export function overlayText(name: string): string {
  return name.replace(/[^\p{L}\p{N} _.()#-]/gu, ' ').trim().slice(0, 60) || 'camera';
}

/** Maps quality 1–100 onto ffmpeg's JPEG qscale 31 (worst) … 2 (best). */
export function qualityToQscale(quality: number): number {
  return Math.round(2 + ((100 - quality) * 29) / 99);
}

function evenRound(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}
