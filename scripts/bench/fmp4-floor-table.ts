// Prints what fmp4-floor.ts measured: each reader's CPU over the windows (median, then the spread),
// its user/system split and system calls, the cost of a further socket, the sinks and the ffmpegs.
import type { ProcRates } from './proc-split';

type Windows = { reader: ProcRates[]; ffmpeg: ProcRates[]; sink: ProcRates[] };

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const spread = (values: readonly number[], digits: number) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
const kb = (bytesPerSecond: number) => (bytesPerSecond / 1024).toFixed(1);

function row(name: string, rates: readonly ProcRates[], ffmpeg: readonly ProcRates[] | undefined, digits = 2): string {
  const of = (key: keyof ProcRates) => median(rates.map((rate) => rate[key]));
  return [
    name.padEnd(38),
    spread(rates.map((rate) => rate.cpu), digits).padEnd(24),
    `${of('user').toFixed(digits)} / ${of('system').toFixed(digits)}`.padEnd(16),
    of('readsPerSecond').toFixed(1).padStart(8),
    of('writesPerSecond').toFixed(1).padStart(9),
    kb(of('readBytesPerSecond')).padStart(9),
    kb(of('writtenBytesPerSecond')).padStart(10),
    ffmpeg ? `   ${spread(ffmpeg.map((rate) => rate.cpu), 2)}` : '',
  ].join(' ');
}

/** (33 − 1) / 32 per window: the windows are the same seconds for both readers. */
function perFurtherSocket(one: readonly ProcRates[], many: readonly ProcRates[], further: number): ProcRates[] {
  return many.map((rates, index) => {
    const base = one[index]!;
    const each = {} as ProcRates;
    for (const key of Object.keys(rates) as (keyof ProcRates)[]) each[key] = (rates[key] - base[key]) / further;
    return each;
  });
}

export function printFmp4Floor(results: Map<string, Windows>, heading: string, oneSocket: string, manySockets: string, further: number): void {
  console.log(heading);
  console.log(`${'reader'.padEnd(38)} ${'CPU % core: med (min–max)'.padEnd(24)} ${'user / system'.padEnd(16)}  reads/s  writes/s   read KB/s written KB/s   its ffmpeg's CPU`);
  for (const [name, windows] of results) console.log(row(name, windows.reader, windows.ffmpeg));
  const one = results.get(oneSocket)!;
  const many = results.get(manySockets)!;
  console.log(row(`per further socket, (33 − 1)/${further}`, perFurtherSocket(one.reader, many.reader, further), undefined, 3));
  console.log(row('sink of the 1 socket (separate)', one.sink, undefined));
  console.log(row('sink of the 33 sockets (separate)', many.sink, undefined));
  const ffmpegs = [...results.values()].flatMap((windows) => windows.ffmpeg);
  console.log(row(`ffmpeg copying (${results.size}, every window)`, ffmpegs, undefined));
  const floor = one.reader.map((rates, index) => rates.cpu + one.ffmpeg[index]!.cpu);
  console.log('(reads/writes: read()/write()/writev() calls and bytes, /proc/<pid>/io; ffmpeg takes RTSP in with recv(), not counted)');
  console.log(`${'floor of a camera + 1 viewer'.padEnd(38)} ${spread(floor, 2)} % of a core (Node + its ffmpeg, 1 socket)`);
}
