import { MOTION_FRAME_BYTES, motionOutputArgs } from '../../lib/ffmpeg/motion-args';
import { runFfmpeg } from './run-ffmpeg';

/**
 * Decodes a scene the way camdash's server feeds the detector: real ffmpeg, the server's own
 * output arguments, raw grey frames cut from the pipe whatever its chunking.
 */
export async function decodeGrey(ffmpeg: string, file: string, seconds: number): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  let pending: Buffer = Buffer.alloc(0);
  await runFfmpeg(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', file, ...motionOutputArgs()], {
    timeoutMs: 20_000 + seconds * 50,
    onStdout: (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let offset = 0;
      for (; offset + MOTION_FRAME_BYTES <= pending.length; offset += MOTION_FRAME_BYTES) frames.push(new Uint8Array(pending.subarray(offset, offset + MOTION_FRAME_BYTES)));
      pending = pending.subarray(offset);
    },
  });
  return frames;
}
