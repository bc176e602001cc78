import type { Readable, Writable } from 'node:stream';

/** The part of a ChildProcess that a capture uses, so that tests can hand in a fake ffmpeg. */
export interface CaptureProcess {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Only a transcoder's is used (the camera's video is fed to it); others may leave it out. */
  readonly stdin?: Writable | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
}

export type SpawnFunction = (command: string, args: readonly string[]) => CaptureProcess;
