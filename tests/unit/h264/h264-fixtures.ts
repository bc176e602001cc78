/**
 * Small H.264 clips from the ffmpeg the app runs, made at test time as Annex-B, and what ffprobe
 * says of a stream: the reference for the SPS parser and the depacketizer.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findOnPath } from '@/lib/ffmpeg/locate';
import { run } from '../fmp4/ffmpeg-fixtures';

export type Clip = {
  size: string;
  frames: number;
  fps?: number;
  profile?: string;
  level?: string;
  pixFmt?: string;
  gop?: number;
  /** x264's preset; ultrafast would turn High into Constrained Baseline (no CABAC, no 8x8 transform). */
  preset?: string;
  /** B-frames, none by default as cameras send none. */
  bframes?: number;
  x264Params?: string;
};

/** An x264 Annex-B stream of the test pattern, with a fixed GOP. */
export function encodeClip(ffmpeg: string, clip: Clip): Promise<Uint8Array> {
  const fps = clip.fps ?? 10;
  const gop = String(clip.gop ?? 10);
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${clip.size}:rate=${fps}`, '-frames:v', String(clip.frames)];
  args.push('-c:v', 'libx264', '-preset', clip.preset ?? 'veryfast', '-bf', String(clip.bframes ?? 0));
  args.push('-g', gop, '-keyint_min', gop, '-sc_threshold', '0');
  if (clip.profile) args.push('-profile:v', clip.profile);
  if (clip.level) args.push('-level:v', clip.level);
  args.push('-pix_fmt', clip.pixFmt ?? 'yuv420p');
  if (clip.x264Params) args.push('-x264-params', clip.x264Params);
  args.push('-f', 'h264', '-');
  return run(ffmpeg, args);
}

/** ffprobe beside the ffmpeg found, else on PATH: ffmpeg-static ships no ffprobe. */
export function ffprobeBeside(ffmpeg: string): string {
  const sibling = path.join(path.dirname(ffmpeg), 'ffprobe');
  const found = existsSync(sibling) ? sibling : findOnPath('ffprobe', process.env.PATH ?? '');
  if (!found) throw new Error('no ffprobe beside ffmpeg or on PATH');
  return found;
}

export type ProbedStream = { codec_name: string; width: number; height: number; profile?: string; level?: number; pix_fmt?: string; nb_read_frames?: string };

/** The first stream of `input` as ffprobe reads it from a pipe, with `format` forced when given. */
export async function probe(ffprobe: string, input: Uint8Array, options: { format?: string; countFrames?: boolean } = {}): Promise<ProbedStream> {
  const args = ['-v', 'error'];
  if (options.format) args.push('-f', options.format);
  if (options.countFrames) args.push('-count_frames');
  args.push('-show_entries', 'stream=codec_name,width,height,profile,level,pix_fmt,nb_read_frames', '-of', 'json', '-');
  const out = await run(ffprobe, args, input);
  const stream = (JSON.parse(new TextDecoder().decode(out)) as { streams: ProbedStream[] }).streams[0];
  if (!stream) throw new Error('ffprobe found no stream');
  return stream;
}

/** What ffmpeg prints at `-v error` decoding all of `input`: empty for a clean stream. */
export function decodeErrors(ffmpeg: string, input: Uint8Array, format?: string): Promise<string> {
  const args = ['-hide_banner', '-v', 'error', ...(format ? ['-f', format] : []), '-i', '-', '-f', 'null', '-'];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => resolve(code === 0 ? stderr : `exit ${code}: ${stderr}`));
    child.stdin.end(input);
  });
}
