/**
 * Writes an export: the planned fragments, their decode times shifted, piped into ffmpeg, which
 * copies them (no re-encode) into one plain MP4 with its moov at the front (faststart), so that it
 * plays at once in any player and seeks without fragments. Faststart needs a second pass over a
 * seekable file, so the MP4 goes to a temporary file first.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { PROTOCOL_WHITELIST } from '../ffmpeg/args';
import { shiftDecodeTime } from '../fmp4/rebase-decode-time';
import { RecordingError } from './recording-error';
import type { ExportPlan } from './export-plan';

/**
 * The pre-roll's timestamps are moved before zero (`-itsoffset`; `-ss` would try to seek the pipe
 * and break the demuxer), and the MP4 muxer writes an edit list that starts the picture at the
 * moment asked: players decode the pre-roll but do not show it.
 */
export function exportArgs(output: string, preRollMs = 0): string[] {
  const trim = preRollMs > 0 ? ['-itsoffset', (-preRollMs / 1000).toFixed(3)] : [];
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-protocol_whitelist',
    PROTOCOL_WHITELIST.pipe,
    ...trim,
    '-f',
    'mp4',
    '-i',
    'pipe:0',
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-y',
    output,
  ];
}

const STDERR_TAIL_BYTES = 2_000;

/** Runs ffmpeg on the plan into `output`. Aborting `signal` kills it (this child only) and rejects. */
export async function writeExport(plan: ExportPlan, ffmpeg: string, output: string, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new RecordingError('the export was abandoned');
  const child = spawn(ffmpeg, exportArgs(output, plan.preRollMs), { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_BYTES)));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  // ffmpeg stopping early (an error) breaks the pipe: its exit code and stderr say why, not EPIPE.
  child.stdin.on('error', () => undefined);
  try {
    const fed = feed(plan, child.stdin, signal).then(
      () => undefined,
      (error: unknown) => {
        // ffmpeg would wait for the rest of its input for ever.
        kill();
        return error;
      },
    );
    const code = await exited;
    const feedError = await fed;
    if (signal.aborted) throw new RecordingError('the export was abandoned');
    if (feedError) throw feedError;
    if (code !== 0) throw new RecordingError(`ffmpeg could not write the export (exit ${code}): ${stderr.trim() || 'no message'}`);
  } finally {
    signal.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
  }
}

/** The init segment, then each fragment read from its file with its moof's tfdt shifted, at the pace ffmpeg reads. */
async function feed(plan: ExportPlan, stdin: Writable, signal: AbortSignal): Promise<void> {
  await write(stdin, plan.init.bytes);
  for (const piece of plan.pieces) {
    const handle = await open(piece.file, 'r');
    try {
      for (const fragment of piece.fragments) {
        if (signal.aborted || stdin.destroyed) return;
        const bytes = Buffer.allocUnsafe(fragment.size);
        const { bytesRead } = await handle.read(bytes, 0, fragment.size, fragment.offset);
        if (bytesRead < fragment.size) throw new RecordingError(`${piece.file} ended inside the fragment at ${fragment.offset}`);
        shiftDecodeTime(bytes.subarray(0, bytes.readUInt32BE(0)), piece.shift);
        await write(stdin, bytes);
      }
    } finally {
      await handle.close();
    }
  }
  stdin.end();
}

function write(stream: Writable, bytes: Uint8Array): Promise<void> {
  if (stream.write(bytes)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
