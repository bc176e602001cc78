import { spawn } from 'node:child_process';

/**
 * Reads back the capture clock that tests/fixtures/rtsp-server.py --clock-stamp draws into each
 * picture: 32 blocks of 32×32 px across the top left, white for 1, most significant bit first,
 * the wall clock in ms modulo 2**32.
 */
export const STAMP_BITS = 32;
export const STAMP_BLOCK = 32;
const STRIP_WIDTH = STAMP_BITS * STAMP_BLOCK;
const STRIP_BYTES = STRIP_WIDTH * STAMP_BLOCK;

/** The stamp in one strip of gray pixels (STRIP_WIDTH × STAMP_BLOCK): each block's centre against mid-gray. */
export function stampFromStrip(strip: Uint8Array): number {
  const row = (STAMP_BLOCK / 2) * STRIP_WIDTH;
  let value = 0;
  for (let bit = 0; bit < STAMP_BITS; bit += 1) {
    value = value * 2 + (strip[row + bit * STAMP_BLOCK + STAMP_BLOCK / 2]! >= 128 ? 1 : 0);
  }
  return value;
}

/** How long after the stamped capture time a frame arrived, across the stamp's wrap-around. */
export function delayMs(arrivedAt: number, stamp: number): number {
  const difference = (((arrivedAt % 2 ** STAMP_BITS) - stamp) % 2 ** STAMP_BITS + 2 ** STAMP_BITS) % 2 ** STAMP_BITS;
  // Clocks that disagree by a little give a small negative delay, not one of 49 days.
  return difference > 2 ** (STAMP_BITS - 1) ? difference - 2 ** STAMP_BITS : difference;
}

/**
 * Decodes the stamps of many JPEGs with one ffmpeg: the JPEGs in on stdin, each one's top-left
 * strip out in gray on stdout, in order. Run after the measuring, so that it costs nothing then.
 */
export function readClockStamps(jpegs: readonly Uint8Array[], ffmpeg = 'ffmpeg'): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'mjpeg', '-i', 'pipe:0', '-vf', `crop=${STRIP_WIDTH}:${STAMP_BLOCK}:0:0,format=gray`, '-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const strips = Buffer.concat(out);
      if (code !== 0 || strips.length !== jpegs.length * STRIP_BYTES) {
        reject(new Error(`ffmpeg decoded ${strips.length / STRIP_BYTES} of ${jpegs.length} stamps (exit ${code}): ${stderr.trim()}`));
        return;
      }
      resolve(jpegs.map((_, index) => stampFromStrip(strips.subarray(index * STRIP_BYTES, (index + 1) * STRIP_BYTES))));
    });
    child.stdin.on('error', () => {});
    for (const jpeg of jpegs) child.stdin.write(jpeg);
    child.stdin.end();
  });
}
