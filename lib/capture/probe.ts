import { buildFfmpegArgs, type CaptureOptions } from '../ffmpeg/args';
import { passwordForms } from '../ffmpeg/redact';
import { JpegSplitter } from '../mjpeg/jpeg-splitter';
import { classifyFailure, describeExit, type FailureKind } from './exit-reason';
import type { CaptureProcess, SpawnFunction } from './process';
import { SnapshotPoller } from './snapshot-poller';
import { StderrTail } from './stderr-tail';

export type ProbeResult = { ok: true; jpeg: Buffer; elapsedMs: number } | { ok: false; kind: FailureKind; reason: string };

export type ProbeDeps = {
  spawn: SpawnFunction;
  ffmpegPath: string | undefined;
  timeoutMs: number;
  /** Aborts when nobody waits for the answer any more: the source is let go at once. */
  signal?: AbortSignal;
};

/**
 * "Test connection": opens a source once, as its capture would, and returns the first picture or
 * why there is none, in the same words as a running camera's reason (never with the URL).
 */
export function probeSource(options: CaptureOptions, deps: ProbeDeps): Promise<ProbeResult> {
  const started = Date.now();
  const url = options.input.kind === 'rtsp' || options.input.kind === 'http' ? options.input.url : '';
  const snapshotUrl = options.snapshot && options.input.kind === 'http' ? options.input.url : undefined;
  if (!deps.ffmpegPath && !snapshotUrl) return Promise.resolve({ ok: false, kind: 'failed', reason: 'ffmpeg not found on the server' });

  let child: CaptureProcess;
  try {
    child = snapshotUrl
      ? new SnapshotPoller({ url: snapshotUrl, fps: 1, timeoutMs: deps.timeoutMs })
      : deps.spawn(deps.ffmpegPath!, oneFrame(buildFfmpegArgs(options)));
  } catch (error) {
    return Promise.resolve({ ok: false, kind: 'failed', reason: `ffmpeg could not be started: ${(error as Error).message}` });
  }

  const stderr = new StderrTail(passwordForms(url));
  const splitter = new JpegSplitter();
  return new Promise<ProbeResult>((resolve) => {
    let settled = false;
    const settle = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      deps.signal?.removeEventListener('abort', cancelled);
      child.kill('SIGKILL');
      resolve(result);
    };
    const seconds = Math.round(deps.timeoutMs / 1000);
    const timer = setTimeout(() => settle({ ok: false, kind: 'timed out', reason: `timed out: no picture within ${seconds} s` }), deps.timeoutMs);
    const cancelled = () => settle({ ok: false, kind: 'failed', reason: 'cancelled: the client went away' });
    if (deps.signal?.aborted) cancelled();
    deps.signal?.addEventListener('abort', cancelled, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => {
      const [jpeg] = splitter.push(chunk);
      if (jpeg) settle({ ok: true, jpeg, elapsedMs: Date.now() - started });
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});
    // The exit event can come before the last of stdout (the picture) has been read.
    const stdoutClosed = new Promise<void>((done) => (child.stdout ? child.stdout.once('close', done) : done()));
    child.once('exit', (code, signal) =>
      void stdoutClosed.then(() => settle({ ok: false, ...classifyFailure(describeExit(code, signal), stderr.snapshot(), code, options.input.kind) })),
    );
    child.once('error', (error) => settle({ ok: false, kind: 'failed', reason: `ffmpeg could not be started: ${error.message}` }));
  });
}

/** The capture's own arguments, stopping after one picture: the test opens the source exactly as the camera will. */
function oneFrame(args: string[]): string[] {
  const output = args.lastIndexOf('-f');
  return [...args.slice(0, output), '-frames:v', '1', ...args.slice(output)];
}
