/**
 * npm run bench:ffmpeg-start — the floor under a cold wall: N ffmpegs (camdash's own arguments for
 * the wall's test-pattern cameras) started at once with nothing else running, and the time until
 * each writes its first JPEG. On a small machine this, not camdash, bounds how soon a cold wall of
 * many cameras can show pictures. Stops every child it started, by handle.
 */
import { spawn } from 'node:child_process';
import { buildFfmpegArgs } from '../lib/ffmpeg/args';
import { locateFfmpeg } from '../lib/ffmpeg/locate';

const COUNT = Number(process.env.COUNT ?? 36);
const TIMEOUT_MS = 60_000;

async function main(): Promise<void> {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  const args = buildFfmpegArgs({ name: 'wall', input: { kind: 'test', pattern: 'testsrc2' }, fps: 5, width: 320 });
  const started = Date.now();
  const children = Array.from({ length: COUNT }, () => spawn(ffmpeg.path, args, { stdio: ['ignore', 'pipe', 'ignore'] }));
  const timer = setTimeout(() => children.forEach((child) => child.kill('SIGKILL')), TIMEOUT_MS);
  const firsts = await Promise.all(
    children.map((child) => new Promise<number>((resolve) => child.stdout.once('data', () => resolve(Date.now() - started)))),
  );
  clearTimeout(timer);
  children.forEach((child) => child.kill('SIGTERM'));
  firsts.sort((a, b) => a - b);
  const at = (q: number) => firsts[Math.min(firsts.length - 1, Math.floor(q * firsts.length))]!;
  console.log(`${COUNT} ffmpegs (${ffmpeg.origin}, ${ffmpeg.version}) started at once: first JPEG after ${at(0)} ms (first), ${at(0.5)} ms (median), ${at(1)} ms (last)`);
}

void main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
