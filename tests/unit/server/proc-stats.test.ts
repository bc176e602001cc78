import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcStats } from '@/lib/server/proc-stats';

describe('/proc parsing', () => {
  it('reads CPU ticks and resident memory, whatever the command name holds', () => {
    const stat = '4242 (ffmpeg (x) y) S 1 4242 4242 0 -1 4194304 1000 0 0 0 250 50 0 0 20 0 3 0 100 200000000 5000 18446744073709551615';
    expect(parseProcStats(stat, 'Name:\tffmpeg\nVmRSS:\t   20480 kB\n')).toEqual({ cpuSeconds: 3, residentBytes: 20_971_520 });
  });

  it('reads this very process', () => {
    const stats = parseProcStats(readFileSync('/proc/self/stat', 'utf8'), readFileSync('/proc/self/status', 'utf8'));
    expect(stats!.cpuSeconds).toBeGreaterThan(0);
    expect(stats!.residentBytes).toBeGreaterThan(10_000_000);
  });
});
