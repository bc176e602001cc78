import { readdirSync, readFileSync } from 'node:fs';

/** CPU ticks and resident memory of a server process and, apart, of the ffmpegs below it, from /proc. */
export type TreeSample = { at: number; nodeTicks: number; ffmpegTicks: number; nodeRssBytes: number; ffmpegRssBytes: number; ffmpegCount: number };

const TICKS_PER_SECOND = 100; // USER_HZ

type Proc = { pid: number; ppid: number; comm: string; ticks: number; rssBytes: number };

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const rssPages = Number(fields[21]);
    return { pid, ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]), rssBytes: rssPages * 4096 };
  } catch {
    return undefined; // gone meanwhile
  }
}

export function sampleTree(rootPid: number): TreeSample {
  const table = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const proc = readProc(Number(name));
    if (proc) table.set(proc.pid, proc);
  }
  const sample: TreeSample = { at: Date.now(), nodeTicks: 0, ffmpegTicks: 0, nodeRssBytes: 0, ffmpegRssBytes: 0, ffmpegCount: 0 };
  for (const proc of table.values()) {
    let below = false;
    for (let pid = proc.pid, hops = 0; pid > 1 && hops < 64; pid = table.get(pid)?.ppid ?? 0, hops += 1) {
      if (pid === rootPid) {
        below = true;
        break;
      }
    }
    if (!below) continue;
    if (proc.comm === 'ffmpeg') {
      sample.ffmpegTicks += proc.ticks;
      sample.ffmpegRssBytes += proc.rssBytes;
      sample.ffmpegCount += 1;
    } else {
      sample.nodeTicks += proc.ticks;
      sample.nodeRssBytes += proc.rssBytes;
    }
  }
  return sample;
}

/** Share of one core used between two samples, in %. Exited ffmpegs take their ticks with them: windows are kept steady. */
export function cpuPercent(before: TreeSample, after: TreeSample, key: 'nodeTicks' | 'ffmpegTicks'): number {
  const seconds = (after.at - before.at) / 1000;
  return seconds > 0 ? (((after[key] - before[key]) / TICKS_PER_SECOND) / seconds) * 100 : 0;
}

function processTicks(pid: number): number {
  return readProc(pid)?.ticks ?? 0;
}

/** CPU of one process (ffmpeg alone, a pipe reader) over a window after a warm-up, as a share of one core in %. */
export async function processCpuPercent(pid: number, warmUpMs: number, windowMs: number): Promise<number> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(warmUpMs);
  const before = processTicks(pid);
  const from = Date.now();
  await sleep(windowMs);
  return ((processTicks(pid) - before) / TICKS_PER_SECOND / ((Date.now() - from) / 1000)) * 100;
}

/** CPU of several processes (a chain of ffmpegs) over one window after a warm-up, each as a share of one core in %. */
export async function processesCpuPercent(pids: readonly number[], warmUpMs: number, windowMs: number): Promise<number[]> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(warmUpMs);
  const before = pids.map(processTicks);
  const from = Date.now();
  await sleep(windowMs);
  const seconds = (Date.now() - from) / 1000;
  return pids.map((pid, index) => ((processTicks(pid) - before[index]!) / TICKS_PER_SECOND / seconds) * 100);
}

/** Node and every process below it (its ffmpegs), together: the whole server's CPU between two samples, in % of a core. */
export function serverCpuPercent(before: TreeSample, after: TreeSample): number {
  return cpuPercent(before, after, 'nodeTicks') + cpuPercent(before, after, 'ffmpegTicks');
}
