import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Capture } from '../capture/capture';
import type { LatestFrameSlot } from '../capture/latest-frame-slot';
import type { CaptureProcess, SpawnFunction } from '../capture/process';
import { writeOrWait } from '../capture/write-or-wait';

/**
 * The motion decoder of a camera watched as MJPEG (an HTTP camera, a webcam, a file, a test
 * pattern): an ffmpeg that reads the camera's JPEGs from its stdin, fed from the camera's one
 * capture, and writes small grey frames. A webcam can be opened once only, and an HTTP camera
 * should not be asked twice: this never opens the camera itself. JPEGs are fed at the detector's
 * rate at most, the newest each time; through an outage of the camera it simply gets none.
 */
export class JpegFedDecoder extends EventEmitter implements CaptureProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private readonly decoder: CaptureProcess;
  private slot: LatestFrameSlot | undefined;
  private ended = false;

  constructor(
    private readonly capture: Pick<Capture, 'subscribe' | 'unsubscribe'>,
    spawn: SpawnFunction,
    ffmpegPath: string,
    args: readonly string[],
    private readonly everyMs: number,
  ) {
    super();
    // The grid's run where the camera has one: small pictures are all a detector needs.
    this.slot = capture.subscribe('grid');
    this.decoder = spawn(ffmpegPath, args);
    this.decoder.stdout?.on('data', (chunk: Buffer) => this.stdout.write(chunk));
    this.decoder.stderr?.on('data', (chunk: Buffer) => this.stderr.write(chunk));
    this.decoder.stdout?.on('error', () => {});
    this.decoder.stderr?.on('error', () => {});
    this.decoder.stdin?.on('error', () => {}); // EPIPE when it exits first
    this.decoder.once('exit', (code, signal) => this.finish(code, signal));
    this.decoder.once('error', (error) => {
      this.stderr.write(`ffmpeg could not be started: ${error.message}\n`);
      this.finish(1, null);
    });
    void this.pump(this.slot);
  }

  get pid(): number | undefined {
    return this.decoder.pid;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.release();
    return this.decoder.kill(signal);
  }

  private async pump(slot: LatestFrameSlot): Promise<void> {
    let lastFedAt = 0;
    for (let frame = await slot.next(); frame && !this.ended; frame = await slot.next()) {
      // A still is the last picture of an earlier run, not something happening now.
      if (frame.still || frame.capturedAt - lastFedAt < this.everyMs) continue;
      lastFedAt = frame.capturedAt;
      const stdin = this.decoder.stdin;
      if (!stdin || stdin.destroyed) return;
      // While ffmpeg lags, newer frames replace each other in the slot: it gets the newest next.
      await writeOrWait(stdin, frame.jpeg);
    }
  }

  private release(): void {
    const slot = this.slot;
    this.slot = undefined;
    if (slot) this.capture.unsubscribe(slot);
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    this.ended = true;
    this.release();
    this.stdout.end();
    this.stderr.end();
    queueMicrotask(() => this.emit('exit', code, signal));
  }
}
