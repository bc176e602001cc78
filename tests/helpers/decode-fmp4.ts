import { spawn } from 'node:child_process';

/** Frames a real ffmpeg decodes from a fragmented MP4 fed on its stdin: what a browser would be able to play. */
export function decodedFrames(ffmpegPath: string, mp4: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0', '-f', 'framemd5', 'pipe:1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', () => resolve(out.split('\n').filter((line) => line && !line.startsWith('#')).length));
    child.stdin.end(mp4);
  });
}
