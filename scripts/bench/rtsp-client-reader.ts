// Reads one RTSP camera with camdash's own client (RTP to fragmented MP4 in this process), parses
// its output as the live source does, and drops it: the floor of an H.264 camera read without ffmpeg.
import { Fmp4Reader } from '../../lib/fmp4/fmp4-reader';
import { RtspReaderProcess } from '../../lib/live/rtsp-reader-process';

const url = process.argv.at(-1)!;
const fmp4 = new Fmp4Reader();
const reader = new RtspReaderProcess({
  url,
  timeoutMs: 10_000,
  fallback: () => {
    throw new Error('the floor camera is H.264: no ffmpeg is wanted');
  },
});
reader.stdout.on('data', (chunk: Buffer) => fmp4.push(chunk));
reader.stderr.pipe(process.stderr);
reader.once('exit', (code) => process.exit(code ?? 1));
