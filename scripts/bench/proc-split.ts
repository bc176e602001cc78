import { readFileSync } from 'node:fs';

/**
 * One process's CPU split into user and system time, and its IO system calls, from /proc.
 * proc-tree.ts sums utime+stime, which cannot say whether a reader's cost is its own JavaScript or
 * the kernel's pipe and TCP work; the read/write call counts (/proc/<pid>/io) say how often it
 * enters the kernel. /proc/<pid>/stat counts every thread (GC, libuv); schedstat would count one.
 */
export type ProcSample = { at: number; utime: number; stime: number; syscr: number; syscw: number; rchar: number; wchar: number };

/** Rates between two samples: CPU in % of one core, calls and bytes per second. */
export type ProcRates = { cpu: number; user: number; system: number; readsPerSecond: number; writesPerSecond: number; readBytesPerSecond: number; writtenBytesPerSecond: number };

const TICKS_PER_SECOND = 100; // USER_HZ, as proc-tree.ts

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const io = new Map(
    readFileSync(`/proc/${pid}/io`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(': ') as [string, string]),
  );
  const count = (key: string) => Number(io.get(key) ?? 0);
  return { at: Date.now(), utime: Number(fields[11]), stime: Number(fields[12]), syscr: count('syscr'), syscw: count('syscw'), rchar: count('rchar'), wchar: count('wchar') };
}

export function procRates(before: ProcSample, after: ProcSample): ProcRates {
  const seconds = (after.at - before.at) / 1000;
  const percent = (ticks: number) => (ticks / TICKS_PER_SECOND / seconds) * 100;
  const user = percent(after.utime - before.utime);
  const system = percent(after.stime - before.stime);
  return {
    cpu: user + system,
    user,
    system,
    readsPerSecond: (after.syscr - before.syscr) / seconds,
    writesPerSecond: (after.syscw - before.syscw) / seconds,
    readBytesPerSecond: (after.rchar - before.rchar) / seconds,
    writtenBytesPerSecond: (after.wchar - before.wchar) / seconds,
  };
}
