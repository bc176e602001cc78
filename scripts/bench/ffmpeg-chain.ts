import { spawn, type ChildProcess } from 'node:child_process';
import { parseSource } from '../../lib/config/source';
import { buildFfmpegArgs } from '../../lib/ffmpeg/args';
import { liveReaderArgs, transcoderArgs } from '../../lib/ffmpeg/live-args';

/**
 * "ffmpeg alone" for an RTSP camera, without camdash: either the single ffmpeg camdash ran until
 * 2026-12-01 (decode RTSP, encode JPEG: buildFfmpegArgs), or the chain it runs now, with the
 * same arguments: the camera's one connection copying its video into fragmented MP4
 * (liveReaderArgs) piped straight into the MJPEG transcoder decoding it from stdin
 * (transcoderArgs). In camdash the fMP4 passes through Node between the two; here it does not.
 */
export type FfmpegSetup = 'single' | 'chain';

export type RunningFfmpeg = {
  /** The process whose stdout carries the JPEGs (the transcoder of a chain). */
  jpegs: ChildProcess;
  pids: number[];
  stop(): void;
};

function rtspSpec(url: string) {
  const parsed = parseSource(url);
  if (!parsed.ok || parsed.spec.kind !== 'rtsp') throw new Error(`not an RTSP source: ${url}`);
  return parsed.spec;
}

/** The old single ffmpeg's arguments, optionally without the two options that turn off ffmpeg's input buffering and decoder delay. */
export function singleArgs(url: string, { defaultInputOptions = false } = {}): string[] {
  const args = buildFfmpegArgs({ name: 'floor', input: rtspSpec(url) });
  return defaultInputOptions ? args.filter((_, index) => !['-fflags', '-flags'].includes(args[index]!) && !['-fflags', '-flags'].includes(args[index - 1]!)) : args;
}

/**
 * Starts ffmpeg alone on a camera, its JPEGs on the returned process's stdout (`toDevNull`: into
 * /dev/null, for CPU only).
 */
export function startFfmpeg(url: string, setup: FfmpegSetup, { toDevNull = false, defaultInputOptions = false } = {}): RunningFfmpeg {
  const output = (args: string[]) => (toDevNull ? ['-y', ...args.slice(0, -1), '/dev/null'] : args);
  const jpegStdio = toDevNull ? 'ignore' : 'pipe';
  if (setup === 'single') {
    const child = spawn('ffmpeg', output(singleArgs(url, { defaultInputOptions })), { stdio: ['ignore', jpegStdio, 'ignore'] });
    return { jpegs: child, pids: [child.pid!], stop: () => void child.kill('SIGKILL') };
  }
  const reader = spawn('ffmpeg', liveReaderArgs({ url }), { stdio: ['ignore', 'pipe', 'ignore'] });
  const transcoder = spawn('ffmpeg', output(transcoderArgs({ name: 'floor', input: rtspSpec(url) })), { stdio: [reader.stdout!, jpegStdio, 'ignore'] });
  return {
    jpegs: transcoder,
    pids: [reader.pid!, transcoder.pid!],
    stop: () => {
      transcoder.kill('SIGKILL');
      reader.kill('SIGKILL');
    },
  };
}
