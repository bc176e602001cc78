/**
 * npm run bench:pipe — what it costs just to read one camera's ffmpeg output, by reader: `dd` (the
 * floor of the pipe itself), a Node process that only reads it, and one that splits it into frames
 * as a capture does. Node's per-camera cost in `npm run bench` cannot go below the second.
 * The camera is a real RTSP server at 1280×720@15 on loopback; each reader gets three 20 s windows, taken in turn.
 *
 * Then the same for the camera's own H.264 copied into fragmented MP4, up to writing it to 1 and
 * 33 sockets (fmp4-floor.ts): the floor of issue 17's per-camera and per-viewer targets.
 * Then who reads an H.264 camera (rtsp-client-floor.ts): camdash's own RTSP client in a bare Node
 * process, against the ffmpeg copy and the Node process reading its pipe.
 * BENCH_PIPE=mjpeg, h264 or rtsp runs one part only; BENCH_PIPE_QUICK=1 shortens the H.264 warm-up and
 * windows (to try the script, not to measure). As root it runs in a network namespace of its own
 * with an Ethernet MTU on loopback, as `npm run bench` does, so that the sockets cost the same.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildFfmpegArgs } from '../../lib/ffmpeg/args';
import { parseSource } from '../../lib/config/source';
import { startRtspServer } from '../../tests/helpers/rtsp-server';
import { printFmp4Floor } from './fmp4-floor-table';
import { measureFmp4Floor, READER_NAMES, stopFmp4Floor, type FloorTiming } from './fmp4-floor';
import { measureRtspFloor, type RtspFloorTiming } from './rtsp-client-floor';
import { inOwnNetwork, jitiCommand, rerunInOwnNetwork, setUpLoopback } from './own-network';
import { processCpuPercent } from './proc-tree';

const WARM_UP_MS = 6_000;
const WINDOW_MS = 20_000;
const ROUNDS = 3;
// ≥ 150 s: V8 takes 2–3 minutes at 15 fps to optimise a stream's hot path (README).
const H264_TIMING: FloorTiming = process.env.BENCH_PIPE_QUICK === '1' ? { warmUpMs: 10_000, windowMs: 5_000, windows: 3 } : { warmUpMs: 180_000, windowMs: 30_000, windows: 5 };
const PARTS = process.env.BENCH_PIPE ? [process.env.BENCH_PIPE] : ['mjpeg', 'h264', 'rtsp'];
// ≥ 60 s: the client's hot path is optimised by then.
const RTSP_TIMING: RtspFloorTiming = process.env.BENCH_PIPE_QUICK === '1' ? { warmUpMs: 10_000, windowMs: 5_000, rounds: 1 } : { warmUpMs: 60_000, windowMs: 30_000, rounds: 3 };
const DEADLINE_MS = 15 * 60_000;
const jitiCli = path.join(path.dirname(createRequire(__filename).resolve('jiti/package.json')), 'lib/jiti-cli.mjs');
const READERS: Record<string, string[]> = {
  'dd (no processing)': ['dd', 'of=/dev/null', 'bs=64k'],
  'Node, reading only': [process.execPath, '-e', "process.stdin.on('data', () => {})"],
  'Node, splitting as camdash': [process.execPath, jitiCli, path.join(__dirname, 'pipe-reader.ts')],
};

async function readerCpu(url: string, reader: string[]): Promise<number> {
  const parsed = parseSource(url);
  if (!parsed.ok) throw new Error(`bad source ${url}`);
  const ffmpeg = spawn('ffmpeg', buildFfmpegArgs({ name: 'floor', input: parsed.spec }), { stdio: ['ignore', 'pipe', 'ignore'] });
  const child = spawn(reader[0]!, reader.slice(1), { stdio: [ffmpeg.stdout, 'ignore', 'inherit'] });
  try {
    return await processCpuPercent(child.pid!, WARM_UP_MS, WINDOW_MS);
  } finally {
    child.kill('SIGKILL');
    ffmpeg.kill('SIGKILL');
  }
}

async function mjpegFloor(url: string): Promise<void> {
  const results = new Map<string, number[]>(Object.keys(READERS).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, reader] of Object.entries(READERS)) results.get(name)!.push(await readerCpu(url, reader));
  }
  console.log('reader of one camera\'s ffmpeg output (RTSP 1280×720@15)   CPU, % of a core: min / median / max');
  for (const [name, values] of results) console.log(`${name.padEnd(58)} ${[...values].sort((a, b) => a - b).map((value) => value.toFixed(2)).join(' / ')}`);
}

async function h264Floor(url: string): Promise<void> {
  const { warmUpMs, windowMs, windows } = H264_TIMING;
  const results = await measureFmp4Floor(url, H264_TIMING);
  const heading = `H.264 copy (liveReaderArgs), RTSP 1280×720@15: every reader at once, each with its own ffmpeg; warm-up ${warmUpMs / 1000} s, then ${windows} windows of ${windowMs / 1000} s`;
  printFmp4Floor(results, heading, READER_NAMES[3]!, READER_NAMES[4]!, 32);
}

async function rtspFloor(url: string): Promise<void> {
  const { builtIn, ffmpeg, ffmpegPipeReader } = await measureRtspFloor(url, RTSP_TIMING);
  const spread = (values: number[]) => [...values].sort((a, b) => a - b).map((value) => value.toFixed(2)).join(' / ');
  const sum = ffmpeg.map((value, i) => value + ffmpegPipeReader[i]!);
  console.log(`who reads an H.264 RTSP camera (1280×720@15), warm-up ${RTSP_TIMING.warmUpMs / 1000} s, ${RTSP_TIMING.rounds} × ${RTSP_TIMING.windowMs / 1000} s   CPU, % of a core: min / median / max`);
  console.log(`${"camdash's own client (RTP to fMP4 in Node)".padEnd(58)} ${spread(builtIn)}`);
  console.log(`${'ffmpeg copying to fMP4 + Node reading its pipe'.padEnd(58)} ${spread(sum)} (ffmpeg ${spread(ffmpeg)}; Node ${spread(ffmpegPipeReader)})`);
}

const load = () => os.loadavg().map((value) => value.toFixed(2)).join(', ');

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`load average before: ${load()}; loopback MTU ${inOwnNetwork() ? '1500 (own network namespace)' : 'of the machine'}`);
  const camera = await startRtspServer({ width: 1280, height: 720, fps: 15 });
  try {
    if (PARTS.includes('mjpeg')) await mjpegFloor(camera.url());
    if (PARTS.includes('h264')) await h264Floor(camera.url());
    if (PARTS.includes('rtsp')) await rtspFloor(camera.url());
  } finally {
    await camera.stop();
  }
  console.log(`load average after: ${load()}; ${((Date.now() - started) / 60_000).toFixed(1)} min`);
}

if (process.getuid?.() === 0 && !inOwnNetwork()) {
  const rerun = rerunInOwnNetwork(jitiCommand(__filename));
  if ('status' in rerun) process.exit(rerun.status);
  console.error(`bench:pipe: on the machine's own loopback (${rerun.missing})`);
} else if (inOwnNetwork()) {
  setUpLoopback();
}

const deadline = setTimeout(() => {
  console.error('bench:pipe: deadline passed');
  stopFmp4Floor();
  process.exit(1);
}, DEADLINE_MS);
main().then(() => clearTimeout(deadline), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
