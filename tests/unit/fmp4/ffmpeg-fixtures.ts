/**
 * Real fragmented MP4 written by the ffmpeg the app runs, made at test time: 2 s of a 320x180
 * test pattern at 10 fps with a keyframe every 10 frames. Each fixture also carries the Annex-B
 * elementary stream, so the codec string can be checked against the SPS rather than against the
 * record the parser itself reads.
 */
import { spawn } from 'node:child_process';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';

export const FRAMES = 20;
export const FPS = 10;
export const GOP = 10;

const QUIET = ['-hide_banner', '-loglevel', 'error'];
const SOURCE = ['-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=${FPS}`, '-t', String(FRAMES / FPS)];
const FIXED_GOP = ['-g', String(GOP), '-keyint_min', String(GOP), '-sc_threshold', '0'];
// The app's remux, writing to stdout.
const FRAGMENTED = ['-an', '-f', 'mp4', '-movflags', '+frag_every_frame+empty_moov+default_base_moof', '-'];

export type Fixture = { name: string; mp4: Uint8Array; annexB: Uint8Array };

export async function ffmpegPath(): Promise<string> {
  const found = await locateFfmpeg();
  if (!found.ok) throw new Error(found.message);
  return found.path;
}

export async function hasEncoder(ffmpeg: string, name: string): Promise<boolean> {
  const list = new TextDecoder().decode(await run(ffmpeg, ['-hide_banner', '-encoders']));
  return new RegExp(`^\\s*V\\S*\\s+${name}\\s`, 'm').test(list);
}

/** Baseline from a raw H.264 stream, remuxed by the app's exact command. */
export async function baselineFixture(ffmpeg: string): Promise<Fixture> {
  const x264 = ['-c:v', 'libx264', '-profile:v', 'baseline', '-level:v', '3.0', ...FIXED_GOP, '-pix_fmt', 'yuv420p'];
  const annexB = await run(ffmpeg, [...QUIET, ...SOURCE, ...x264, '-f', 'h264', '-']);
  const mp4 = await run(ffmpeg, [...QUIET, '-f', 'h264', '-i', '-', '-c:v', 'copy', ...FRAGMENTED], annexB);
  return { name: 'baseline', mp4, annexB };
}

/** High profile with B-frames, encoded straight to fMP4 so its truns carry composition offsets. */
export async function highFixture(ffmpeg: string): Promise<Fixture> {
  const x264 = ['-c:v', 'libx264', '-profile:v', 'high', '-level:v', '4.0', '-bf', '2', ...FIXED_GOP, '-pix_fmt', 'yuv420p'];
  const mp4 = await run(ffmpeg, [...QUIET, ...SOURCE, ...x264, ...FRAGMENTED]);
  const annexB = await run(ffmpeg, [...QUIET, '-f', 'mp4', '-i', '-', '-c:v', 'copy', '-f', 'h264', '-'], mp4);
  return { name: 'high', mp4, annexB };
}

/** HEVC Main from a raw stream, remuxed as hvc1 (`-tag:v hvc1`) or ffmpeg's default hev1. */
export async function hevcFixtures(ffmpeg: string): Promise<Fixture[]> {
  // Closed GOPs: x265's open GOPs would move the keyframes off the fixed positions.
  const x265 = `log-level=error:keyint=${GOP}:min-keyint=${GOP}:scenecut=0:open-gop=0:level-idc=3`;
  const annexB = await run(ffmpeg, [...QUIET, ...SOURCE, '-c:v', 'libx265', '-x265-params', x265, '-pix_fmt', 'yuv420p', '-f', 'hevc', '-']);
  const remux = (tag: string[]) => run(ffmpeg, [...QUIET, '-f', 'hevc', '-i', '-', '-c:v', 'copy', ...tag, ...FRAGMENTED], annexB);
  const [hvc1, hev1] = await Promise.all([remux(['-tag:v', 'hvc1']), remux([])]);
  return [
    { name: 'hevc-hvc1', mp4: hvc1, annexB },
    { name: 'hevc-hev1', mp4: hev1, annexB },
  ];
}

/** Runs ffmpeg on `input`, with its stdout as the answer and its stderr in the error when it fails. */
export function run(ffmpeg: string, args: string[], input?: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // ffmpeg may stop reading early when it fails; its exit code and stderr then tell why.
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(new Uint8Array(Buffer.concat(out)));
      else reject(new Error(`ffmpeg ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString()}`));
    });
    child.stdin.end(input);
  });
}
