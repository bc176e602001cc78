/**
 * What reading one H.264 RTSP camera costs, by who reads it: camdash's own client in a bare Node
 * process (no server, no viewer), against the ffmpeg copy and a Node process reading its pipe as
 * the live source does. Each in turn, `rounds` times, after a warm-up.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { liveReaderArgs } from '../../lib/ffmpeg/live-args';
import { processesCpuPercent } from './proc-tree';

export type RtspFloorTiming = { warmUpMs: number; windowMs: number; rounds: number };
export type RtspFloor = { builtIn: number[]; ffmpeg: number[]; ffmpegPipeReader: number[] };

const jitiCli = path.join(path.dirname(createRequire(__filename).resolve('jiti/package.json')), 'lib/jiti-cli.mjs');

async function builtInCpu(url: string, timing: RtspFloorTiming): Promise<number> {
  const child = spawn(process.execPath, [jitiCli, path.join(__dirname, 'rtsp-client-reader.ts'), url], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const [cpu] = await processesCpuPercent([child.pid!], timing.warmUpMs, timing.windowMs);
    return cpu!;
  } finally {
    child.kill('SIGKILL');
  }
}

async function ffmpegCpu(url: string, timing: RtspFloorTiming): Promise<[number, number]> {
  const reader = spawn(process.execPath, ['-e', "process.stdin.on('data', () => {})"], { stdio: ['pipe', 'ignore', 'inherit'] });
  const ffmpeg = spawn('ffmpeg', liveReaderArgs({ url }), { stdio: ['ignore', reader.stdin!, 'inherit'] });
  try {
    const [copy, read] = await processesCpuPercent([ffmpeg.pid!, reader.pid!], timing.warmUpMs, timing.windowMs);
    return [copy!, read!];
  } finally {
    ffmpeg.kill('SIGKILL');
    reader.kill('SIGKILL');
  }
}

export async function measureRtspFloor(url: string, timing: RtspFloorTiming): Promise<RtspFloor> {
  const floor: RtspFloor = { builtIn: [], ffmpeg: [], ffmpegPipeReader: [] };
  for (let round = 0; round < timing.rounds; round += 1) {
    floor.builtIn.push(await builtInCpu(url, timing));
    const [copy, read] = await ffmpegCpu(url, timing);
    floor.ffmpeg.push(copy);
    floor.ffmpegPipeReader.push(read);
  }
  return floor;
}
