/**
 * The floor of serving one RTSP camera's own video: what `dd`, and Node processes doing ever more
 * of camdash's work, cost to read one ffmpeg copy (lib/ffmpeg/live-args.ts) into fragmented MP4,
 * parse it and write it to 1 and to 33 loopback sockets (fanout-reader.ts), each socket drained
 * by a sink process of its own (fanout-sink.ts). Per further viewer = (33 − 1) / 32.
 *
 * Every reader, its ffmpeg and its sink run at once, on one shared RTSP stream: V8 needs minutes
 * at 15 fps to optimise the hot path (README), and one warm-up for all keeps the run short.
 * Windows are back to back, so a burst of other work on the machine falls on every reader alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { liveReaderArgs } from '../../lib/ffmpeg/live-args';
import { jitiCommand } from './own-network';
import { procRates, sampleProcess, type ProcRates, type ProcSample } from './proc-split';
import { sleep } from './table';

export type FloorTiming = { warmUpMs: number; windowMs: number; windows: number };

type Reader = { name: string; command: string[]; sockets: number };

const fanout = (sockets: number) => [...jitiCommand(path.join(__dirname, 'fanout-reader.ts')), '0', String(sockets)];
const READERS: Reader[] = [
  { name: 'dd (no processing)', command: ['dd', 'of=/dev/null', 'bs=64k', 'status=none'], sockets: 0 },
  { name: 'Node, reading only', command: [process.execPath, '-e', "process.stdin.on('data', () => {})"], sockets: 0 },
  { name: 'Node, parsing fMP4 as camdash', command: fanout(0), sockets: 0 },
  { name: 'Node, parsing + 1 socket', command: fanout(1), sockets: 1 },
  { name: 'Node, parsing + 33 sockets', command: fanout(33), sockets: 33 },
];

// Every process started, for the deadline to kill by handle if the run is cut short.
const children = new Set<ChildProcess>();

/** Kills whatever a run left, by handle. */
export function stopFmp4Floor(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

type Running = { reader: Reader; child: ChildProcess; ffmpeg: ChildProcess; sink: ChildProcess | undefined };

async function startSink(): Promise<{ sink: ChildProcess; port: number }> {
  const [node, ...args] = jitiCommand(path.join(__dirname, 'fanout-sink.ts'));
  // Its stdin is a pipe from here: it exits when this process is gone, however that happens.
  const sink = spawn(node!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(sink);
  const [line] = (await Promise.race([once(createInterface({ input: sink.stdout! }), 'line'), once(sink, 'exit').then(() => ['exit'])])) as [string];
  const port = Number(line);
  if (!(port > 0)) throw new Error(`the sink did not start (${line})`);
  return { sink, port };
}

async function start(reader: Reader, url: string): Promise<Running> {
  const { sink, port } = reader.sockets > 0 ? await startSink() : { sink: undefined, port: 0 };
  const command = reader.sockets > 0 ? [...reader.command.slice(0, -2), String(port), String(reader.sockets)] : reader.command;
  const child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'ignore', 'inherit'] });
  children.add(child);
  // ffmpeg writes straight into the reader's stdin. The other way round (the reader's stdin from
  // ffmpeg.stdout) Node would first read some of ffmpeg's output itself, and an fMP4 without its
  // first bytes (ftyp, moov) cannot be parsed.
  const ffmpeg = spawn('ffmpeg', liveReaderArgs({ url }), { stdio: ['ignore', child.stdin!, 'inherit'] });
  children.add(ffmpeg);
  child.stdin!.destroy();
  return { reader, child, ffmpeg, sink };
}

type Windows = { reader: ProcRates[]; ffmpeg: ProcRates[]; sink: ProcRates[] };

/** Starts every reader, warms up, and returns each one's rates per window. */
export async function measureFmp4Floor(url: string, timing: FloorTiming): Promise<Map<string, Windows>> {
  let exited: string | undefined;
  try {
    const running: Running[] = [];
    for (const reader of READERS) running.push(await start(reader, url));
    for (const run of running) {
      for (const [role, proc] of [['reader', run.child], ['ffmpeg', run.ffmpeg], ['sink', run.sink]] as const) {
        proc?.once('exit', (code, signal) => (exited ??= `${run.reader.name}: its ${role} exited (${signal ?? code})`));
      }
    }
    await sleep(timing.warmUpMs);
    const pidsOf = (run: Running) => [run.child.pid!, run.ffmpeg.pid!, run.sink?.pid];
    const sampleAll = () => running.map((run) => pidsOf(run).map((pid) => (pid === undefined ? undefined : sampleProcess(pid))));
    const results = new Map<string, Windows>(running.map((run) => [run.reader.name, { reader: [], ffmpeg: [], sink: [] }]));
    let before = sampleAll();
    for (let window = 0; window < timing.windows; window += 1) {
      await sleep(timing.windowMs);
      if (exited) throw new Error(exited);
      const after = sampleAll();
      running.forEach((run, index) => {
        const [reader, ffmpeg, sink] = after[index]!.map((sample, role) => sample && procRates(before[index]![role] as ProcSample, sample));
        const windows = results.get(run.reader.name)!;
        windows.reader.push(reader!);
        windows.ffmpeg.push(ffmpeg!);
        if (sink) windows.sink.push(sink);
      });
      before = after;
    }
    return results;
  } finally {
    exited ??= 'stopping';
    stopFmp4Floor();
  }
}

export const READER_NAMES = READERS.map((reader) => reader.name);
