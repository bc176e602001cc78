/**
 * Recorded footage for the playback tests, laid out as the recorder lays it out (the contract in
 * lib/recording/types.ts): segment files of a few seconds, cut at keyframes, named by their clock
 * time, indexed in the data directory's events file. Every picture carries its own clock time,
 * stamped as tests/fixtures/rtsp-server.py --clock-stamp stamps the live camera's (32 blocks of
 * 32×32 px across the top left, white for 1, most significant bit first, epoch ms modulo 2**32),
 * so that scripts/bench/page-clock.ts reads back, from the pixels a page shows, which moment it is.
 */
import path from 'node:path';
import { EVENTS_FILE_NAME } from '@/lib/events/event-settings';
import { SegmentIndex } from '@/lib/recording/segment-index';
import { STAMP_BITS, STAMP_BLOCK } from '../../scripts/bench/clock-stamp';
import { run } from '../unit/fmp4/ffmpeg-fixtures';
import { parseStream, writeSegments, type WrittenSegment } from '../unit/recording/recorded-fixture';

export const FPS = 15;
/** A keyframe every second, as cameras are usually set up. */
export const GOP = FPS;
// Wide enough for the 32 stamp blocks; low, so that encoding a minute takes a second or two.
const WIDTH = STAMP_BITS * STAMP_BLOCK;
const HEIGHT = 128;
const WHITE = 235;
const BLACK = 16;

/** The clock time of frame `n` of footage that starts at `startedAt`: what its picture says. */
export const frameClock = (startedAt: number, n: number): number => startedAt + Math.round((n * 1000) / FPS);

/** One yuv420p picture: the stamp in the top rows, a box sliding along below it (so that frames differ), grey chroma. */
function stampedPicture(clock: number, n: number): Buffer {
  const picture = Buffer.alloc((WIDTH * HEIGHT * 3) / 2, 128);
  picture.fill(90, 0, WIDTH * HEIGHT);
  const stamp = clock % 2 ** STAMP_BITS;
  for (let bit = 0; bit < STAMP_BITS; bit += 1) {
    const value = Math.floor(stamp / 2 ** (STAMP_BITS - 1 - bit)) % 2 === 1 ? WHITE : BLACK;
    for (let y = 0; y < STAMP_BLOCK; y += 1) picture.fill(value, y * WIDTH + bit * STAMP_BLOCK, y * WIDTH + (bit + 1) * STAMP_BLOCK);
  }
  const x = (n * 8) % (WIDTH - 64);
  for (let y = STAMP_BLOCK + 16; y < HEIGHT - 16; y += 1) picture.fill(200, y * WIDTH + x, y * WIDTH + x + 64);
  return picture;
}

/** `seconds` of stamped footage from `startedAt`, as ffmpeg fragments it for the live connection (one fragment per frame). */
export async function encodeStamped(ffmpeg: string, startedAt: number, seconds: number): Promise<Uint8Array> {
  const frames = Math.round(seconds * FPS);
  const raw = Buffer.concat(Array.from({ length: frames }, (_, n) => stampedPicture(frameClock(startedAt, n), n)));
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${WIDTH}x${HEIGHT}`, '-r', String(FPS), '-i', 'pipe:0'];
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(GOP), '-keyint_min', String(GOP), '-sc_threshold', '0', '-bf', '0', '-pix_fmt', 'yuv420p');
  args.push('-f', 'mp4', '-movflags', '+frag_every_frame+empty_moov+default_base_moof', 'pipe:1');
  return run(ffmpeg, args, raw);
}

export type RecordedSpan = { start: number; end: number; segments: WrittenSegment[] };

/**
 * `seconds` of stamped footage of `camera` from `startedAt`, written under `recordingsDir` as
 * segments of `segmentSeconds` (whole GOPs), one span.
 */
export async function recordSpan(ffmpeg: string, recordingsDir: string, camera: string, startedAt: number, seconds: number, segmentSeconds = 3): Promise<RecordedSpan> {
  const stream = parseStream(await encodeStamped(ffmpeg, startedAt, seconds));
  const segments = writeSegments(recordingsDir, camera, stream, { startedAt, keyframesPerSegment: Math.max(1, Math.round((segmentSeconds * FPS) / GOP)) });
  return { start: startedAt, end: segments.at(-1)!.endedAt, segments };
}

/** Indexes finished segments in `dataDir`'s events file, where the server's index (CAMDASH_DATA_DIR) finds them. */
export function indexSegments(dataDir: string, segments: readonly WrittenSegment[]): void {
  const index = SegmentIndex.open(path.join(dataDir, EVENTS_FILE_NAME));
  try {
    for (const segment of segments) {
      const { fragments: _fragments, ...row } = segment;
      index.finish(index.begin(row), segment.endedAt, segment.bytes);
    }
  } finally {
    index.close();
  }
}
