import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CaptureProcess, SpawnFunction } from '@/lib/capture/process';

let nextPid = 90_000;

/** A stand-in for an ffmpeg child: the test writes its stdout/stderr and decides how it dies. */
export class FakeFfmpeg extends EventEmitter implements CaptureProcess {
  readonly pid = nextPid++;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  /** What was written to its stdin (a transcoder's input), chunk by chunk. */
  readonly stdin = new PassThrough();
  readonly written: Buffer[] = [];
  readonly signals: NodeJS.Signals[] = [];
  exited = false;

  constructor(
    readonly args: readonly string[],
    private readonly ignoresSigterm: boolean,
  ) {
    super();
    this.stdin.on('data', (chunk: Buffer) => this.written.push(chunk));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exited) return false;
    this.signals.push(signal);
    if (signal === 'SIGKILL' || !this.ignoresSigterm) queueMicrotask(() => this.exit(null, signal));
    return true;
  }

  frame(jpeg: Buffer): void {
    this.stdout.write(jpeg);
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exited) return;
    this.exited = true;
    this.stdout.end();
    this.stderr.end();
    this.stdin.destroy();
    this.emit('exit', code, signal);
  }
}

export function fakeSpawner({ ignoresSigterm = false } = {}): { spawn: SpawnFunction; children: FakeFfmpeg[] } {
  const children: FakeFfmpeg[] = [];
  return {
    children,
    spawn: (_command, args) => {
      const child = new FakeFfmpeg(args, ignoresSigterm);
      children.push(child);
      return child;
    },
  };
}
