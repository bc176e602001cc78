import type { CaptureOptions } from '../ffmpeg/args';
import { encodedSourceArgs, h264TestPatternArgs, hasOwnVideo, liveReaderArgs, TRANSCODER_INPUT } from '../ffmpeg/live-args';
import { passwordForms } from '../ffmpeg/redact';
import { LiveSource, type LiveReader, type LiveSourceSnapshot } from '../live/live-source';
import { TranscoderProcess } from '../mjpeg/transcoder-process';
import { Capture, type CaptureDeps, type CaptureSnapshot } from './capture';
import { LaunchFailure } from './process-supervisor';

/**
 * One stream of a camera (its main stream, or its substream): the camera's connection and the
 * consumers fed from it. An RTSP camera has one connection whatever consumes it: an ffmpeg copying
 * its video (lib/live/live-source.ts), from which the MJPEG transcoder reads. Other sources (HTTP
 * MJPEG cameras, webcams, files, test patterns) are read by the MJPEG capture's own ffmpeg.
 */
// Longer than any outage a timer can express; setTimeout caps at 2^31 - 1 ms.
const NO_STALL_WATCHDOG_MS = 2 ** 31 - 1;

export type CameraStream = {
  readonly capture: Capture;
  readonly live: LiveSource | undefined;
  /** Browsers playing the camera's own video now, and what they were sent. */
  video: { viewers: number; framesOut: number; bytesOut: number };
};

export type StreamSnapshot = CaptureSnapshot & {
  /** The camera's connection, where its video is copied (RTSP cameras). */
  video: (LiveSourceSnapshot & { viewers: number; framesOut: number; bytesOut: number }) | undefined;
};

export function cameraStream(cameraId: string, options: CaptureOptions, deps: CaptureDeps, extras: { label?: string; gridOptions?: CaptureOptions | undefined }): CameraStream {
  const video = { viewers: 0, framesOut: 0, bytesOut: 0 };
  const reader = videoReader(options);
  if (!reader) return { capture: new Capture(cameraId, options, deps, extras), live: undefined, video };
  const live = new LiveSource(cameraId, reader, deps, extras.label);
  // The connection has its own watchdog; the transcoder waits for it through an outage, and a
  // decoder that fails exits.
  const capture = new Capture(cameraId, options, { ...deps, timing: { ...deps.timing, stallMs: NO_STALL_WATCHDOG_MS } }, {
    ...extras,
    label: `${extras.label ?? cameraId} (MJPEG)`,
    input: TRANSCODER_INPUT,
    launch: (args) => {
      if (!deps.ffmpegPath) throw new LaunchFailure({ kind: 'failed', reason: deps.missingFfmpegReason ?? 'ffmpeg not found' });
      const label = extras.label ?? cameraId;
      return new TranscoderProcess(live, deps.spawn, deps.ffmpegPath, args, (pid) =>
        deps.log(`camera ${label}: ffmpeg started (pid ${pid ?? '?'}), decoding the camera's video to JPEG`, { camera: cameraId }),
      );
    },
  });
  return { capture, live, video };
}

/** The ffmpeg that gives a source's video as fragmented MP4; none for sources watched as MJPEG. */
function videoReader(options: CaptureOptions): LiveReader | undefined {
  const { input } = options;
  if (!hasOwnVideo(options)) return undefined;
  if (input.kind === 'rtsp') {
    const args = liveReaderArgs({ url: input.url, rtspTransport: options.rtspTransport });
    return { args, sourceKind: 'rtsp', secrets: passwordForms(input.url), rtspUrl: readsItself(input.url, options) ? input.url : undefined };
  }
  if (input.kind === 'test') return { args: h264TestPatternArgs(options, input.pattern), sourceKind: 'test', secrets: [] };
  return { args: encodedSourceArgs(options), sourceKind: input.kind, secrets: input.kind === 'http' ? passwordForms(input.url) : [] };
}

/** camdash's own client reads RTSP over TCP; rtsps:// (TLS), UDP and cameras set to ffmpeg go to ffmpeg. */
function readsItself(url: string, options: CaptureOptions): boolean {
  return /^rtsp:\/\//i.test(url) && options.rtspTransport !== 'udp' && options.rtspClient !== 'ffmpeg';
}

/**
 * A stream's state as one. The camera's connection decides whether the camera is up and why not,
 * except while it is live and the transcoder alone fails (MJPEG viewers then have no picture, and
 * that is the news), and while nothing holds the connection.
 */
export function streamSnapshot({ capture, live, video: played }: CameraStream): StreamSnapshot {
  const mjpeg = capture.snapshot();
  if (!live) return { ...mjpeg, video: undefined };
  const video = { ...live.snapshot(), ...played };
  const connection = video.state === 'idle' || (video.state === 'live' && mjpeg.state === 'backoff') ? mjpeg : video;
  return {
    ...mjpeg,
    state: connection.state,
    reason: connection.reason,
    failure: connection.failure,
    retryAt: connection.retryAt,
    stderrTail: connection.stderrTail,
    restarts: mjpeg.restarts + video.restarts,
    viewers: mjpeg.viewers + played.viewers,
    fps: video.state === 'live' ? video.fps : mjpeg.fps,
    lastFrameAt: video.lastFrameAt ?? mjpeg.lastFrameAt,
    video,
  };
}

/** What a process of a camera does: talk to the camera, or make JPEGs from its video. */
export type ProcessRole = 'camera' | 'transcoder';

export function streamProcesses({ capture, live }: CameraStream): { pid: number; role: ProcessRole }[] {
  const roles: [number | undefined, ProcessRole][] = live ? [[live.pid, 'camera'], [capture.pid, 'transcoder']] : [[capture.pid, 'camera']];
  return roles.flatMap(([pid, role]) => (pid === undefined ? [] : [{ pid, role }]));
}

export async function shutdownStream({ capture, live }: CameraStream): Promise<void> {
  // The transcoder first: it is a consumer of the connection.
  await capture.shutdown();
  await live?.shutdown();
}
