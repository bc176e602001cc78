import { readFile } from 'node:fs/promises';

/** Linux's USER_HZ: /proc reports CPU time in these ticks, 100 per second on every common build. */
const TICKS_PER_SECOND = 100;

export type ProcStats = { cpuSeconds: number; residentBytes: number };

/** CPU time (user + system) and resident memory of a process, from /proc; undefined once it is gone. */
export async function procStats(pid: number): Promise<ProcStats | undefined> {
  try {
    const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
    return parseProcStats(stat, status);
  } catch {
    return undefined;
  }
}

/** Pure, for tests. The command name in `stat` is in parentheses and may contain spaces. */
export function parseProcStats(stat: string, status: string): ProcStats | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3 of stat(5); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, residentBytes: Number.isFinite(rssKb) ? rssKb * 1024 : 0 };
}
