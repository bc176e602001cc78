/**
 * Real recordings for tests: ffmpeg's H.264 test pattern, fragmented exactly as the live connection
 * writes it (one fragment per frame), cut into segment files as the recorder cuts them (at
 * keyframes, each file the init segment and its fragments, decode times running on from file to
 * file) and named by their clock time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Fmp4Reader } from '@/lib/fmp4/fmp4-reader';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import type { MediaFragment } from '@/lib/fmp4/media-fragment';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { segmentPath, type NewSegment } from '@/lib/recording/types';
import { run } from '../fmp4/ffmpeg-fixtures';

export const FPS = 15;
export const GOP = 15; // a keyframe every second

export async function ffmpegPath(): Promise<string> {
  const found = await locateFfmpeg();
  if (!found.ok) throw new Error(found.message);
  return found.path;
}

/** `seconds` of testsrc2 at FPS, as the fMP4 bytes ffmpeg writes to a pipe (so ending with its mfra). */
export function encodeStream(ffmpeg: string, seconds: number, size = '320x180'): Promise<Uint8Array> {
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${FPS}`, '-t', String(seconds)];
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(GOP), '-keyint_min', String(GOP), '-sc_threshold', '0', '-bf', '0', '-pix_fmt', 'yuv420p');
  args.push('-f', 'mp4', '-movflags', '+frag_every_frame+empty_moov+default_base_moof', '-');
  return run(ffmpeg, args);
}

export type ParsedStream = { init: InitSegment; fragments: MediaFragment[] };

export function parseStream(bytes: Uint8Array): ParsedStream {
  const reader = new Fmp4Reader();
  const fragments: MediaFragment[] = [];
  let init: InitSegment | undefined;
  for (const event of reader.push(bytes)) {
    if (event.kind === 'init') init ??= event.init;
    else fragments.push(event.fragment);
  }
  if (!init) throw new Error('the stream has no init segment');
  return { init, fragments };
}

export type WrittenSegment = NewSegment & { endedAt: number; bytes: number; fragments: MediaFragment[] };

/**
 * Writes `stream` under `dir` as segments of `keyframesPerSegment` GOPs, the first starting at
 * `startedAt`; `gapMs` of nothing between segments (0: contiguous, as a running recorder writes them).
 */
export function writeSegments(dir: string, camera: string, stream: ParsedStream, { startedAt, keyframesPerSegment, gapMs = 0 }: { startedAt: number; keyframesPerSegment: number; gapMs?: number }): WrittenSegment[] {
  const { init, fragments } = stream;
  const groups: MediaFragment[][] = [];
  let keyframes = 0;
  for (const fragment of fragments) {
    if (fragment.keyframe && keyframes++ % keyframesPerSegment === 0) groups.push([]);
    groups.at(-1)?.push(fragment);
  }
  const written: WrittenSegment[] = [];
  let clock = startedAt;
  for (const group of groups) {
    const first = group[0]!;
    const last = group.at(-1)!;
    const durationMs = ((last.decodeTime + last.duration! - first.decodeTime) / init.timescale) * 1000;
    const start = Math.round(clock);
    const relative = segmentPath(camera, start);
    const bytes = Buffer.concat([init.bytes, ...group.map((fragment) => fragment.bytes)]);
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), bytes);
    written.push({
      camera,
      path: relative,
      startedAt: start,
      endedAt: Math.round(start + durationMs),
      bytes: bytes.length,
      codec: init.codec,
      width: init.width,
      height: init.height,
      timescale: init.timescale,
      mediaStart: first.decodeTime,
      initBytes: init.bytes.length,
      fragments: group,
    });
    clock = start + durationMs + gapMs;
  }
  return written;
}

