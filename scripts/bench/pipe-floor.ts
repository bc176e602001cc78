/**
 * npm run bench:pipe — what it costs just to read one camera's ffmpeg output, by reader: `dd` (the
 * floor of the pipe itself), a Node process that only reads it, and one that splits it into frames
 * as a capture does. Node's per-camera cost in `npm run bench` cannot go below the second.
 * The camera is a real RTSP server at 1280×720@15 on loopback; each reader gets three 20 s windows, taken in turn.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildFfmpegArgs } from '../../lib/ffmpeg/args';
import { parseSource } from '../../lib/config/source';
import { startRtspServer } from '../../tests/helpers/rtsp-server';
import { processCpuPercent } from './proc-tree';

const WARM_UP_MS = 6_000;
const WINDOW_MS = 20_000;
const ROUNDS = 3;
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

async function main(): Promise<void> {
  const camera = await startRtspServer({ width: 1280, height: 720, fps: 15 });
  try {
    const results = new Map<string, number[]>(Object.keys(READERS).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, reader] of Object.entries(READERS)) results.get(name)!.push(await readerCpu(camera.url(), reader));
    }
    console.log('reader of one camera\'s ffmpeg output (RTSP 1280×720@15)   CPU, % of a core: min / median / max');
    for (const [name, values] of results) console.log(`${name.padEnd(58)} ${[...values].sort((a, b) => a - b).map((value) => value.toFixed(2)).join(' / ')}`);
  } finally {
    await camera.stop();
  }
}

const deadline = setTimeout(() => {
  console.error('bench:pipe: deadline passed');
  process.exit(1);
}, 8 * 60_000);
main().then(() => clearTimeout(deadline), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
