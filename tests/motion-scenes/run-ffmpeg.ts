import { spawn } from 'node:child_process';

/**
 * Runs ffmpeg with an argument array (never a shell line), killed when it outlives `timeoutMs`.
 * Rejects with the tail of its stderr when it fails. `onStdout` receives what it writes there.
 */
export function runFfmpeg(ffmpeg: string, args: string[], { timeoutMs, onStdout }: { timeoutMs: number; onStdout?: (chunk: Buffer) => void }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    if (onStdout) child.stdout!.on('data', onStdout);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg ${signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exited with ${code}`}: ${stderr.trim()}`));
    });
  });
}
