import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CaptureProcess, SpawnFunction } from '../capture/process';
import { writeOrWait } from '../capture/write-or-wait';
import { skippingCatchUp } from '../ffmpeg/live-args';
import type { LiveFeed } from '../live/live-feed';

/**
 * Fed video for this long without making a picture, the decoder is stuck: it is stopped, and the
 * capture starts another (the connection's own watchdog covers a camera that sends nothing).
 */
export const DECODER_STALL_MS = 10_000;

/** What a transcoder needs of the camera's one connection (lib/live/live-source.ts). */
export type VideoSource = {
  subscribe(): LiveFeed;
  unsubscribe(feed: LiveFeed): void;
};

/**
 * The MJPEG transcoder of a camera that already has a connection: an ffmpeg that decodes the
 * camera's video from its stdin, fed from the camera's one connection, and writes JPEGs. To the
 * MJPEG capture it stands in for an ffmpeg on the camera, as the snapshot poller does: JPEGs on
 * stdout, the decoder's errors on stderr, an exit when the decoder fails. It outlives the
 * connection's own failures: when the camera goes away (the connection retries by itself, and its
 * status says why), the decoder is stopped, and a new one starts with the camera's next stream. So
 * restarting it (a new size for the grid, a crash) never reconnects to the camera, and an outage
 * is retried on the connection's schedule alone.
 */
export class TranscoderProcess extends EventEmitter implements CaptureProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private decoder: CaptureProcess | undefined;
  /** Decoders this process stopped itself (the camera's stream ended or restarted). */
  private readonly retired = new WeakSet<CaptureProcess>();
  private feed: LiveFeed | undefined;
  private ended = false;
  private stopping = false;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: VideoSource,
    private readonly spawn: SpawnFunction,
    private readonly ffmpegPath: string,
    private readonly args: readonly string[],
    /** Hears of each decoder started (the server log names every ffmpeg it runs). */
    private readonly onDecoderStarted: (pid: number | undefined) => void = () => {},
    private readonly stallMs = DECODER_STALL_MS,
  ) {
    super();
    this.feed = source.subscribe();
    void this.pump(this.feed);
  }

  get pid(): number | undefined {
    return this.decoder?.pid;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.ended) return false;
    this.stopping = true;
    this.release();
    // The exit is reported once the decoder has really exited: its 'exit' finishes this.
    if (this.decoder) return this.decoder.kill(signal);
    queueMicrotask(() => this.finish(null, signal));
    return true;
  }

  private async pump(feed: LiveFeed): Promise<void> {
    for (let item = await feed.next(); item && !this.ended; item = await feed.next()) {
      if (item.kind === 'ended') {
        this.retireDecoder();
      } else if (item.kind === 'init') {
        // A new stream: a decoder that has read another init cannot follow it.
        this.retireDecoder();
        this.decoder = this.startDecoder(catchUpSeconds(feed, item.init.timescale));
        if (this.decoder) await this.write(item.init.bytes);
      } else if (this.decoder) {
        await this.write(item.fragment.bytes);
      }
    }
  }

  private startDecoder(liveAtSeconds: number): CaptureProcess | undefined {
    let decoder: CaptureProcess;
    try {
      decoder = this.spawn(this.ffmpegPath, skippingCatchUp(this.args, liveAtSeconds));
    } catch (error) {
      this.stderr.write(`ffmpeg could not be started: ${(error as Error).message}\n`);
      this.finish(1, null);
      return undefined;
    }
    this.onDecoderStarted(decoder.pid);
    decoder.stdout?.on('data', (chunk: Buffer) => {
      if (decoder !== this.decoder) return;
      clearTimeout(this.stallTimer);
      this.stallTimer = undefined;
      this.stdout.write(chunk);
    });
    decoder.stderr?.on('data', (chunk: Buffer) => {
      if (decoder === this.decoder) this.stderr.write(chunk);
    });
    decoder.stdout?.on('error', () => {});
    decoder.stderr?.on('error', () => {});
    decoder.stdin?.on('error', () => {}); // EPIPE when it exits first
    decoder.once('exit', (code, signal) => {
      if (this.retired.has(decoder)) return;
      this.decoder = undefined;
      this.finish(code, signal);
    });
    decoder.once('error', (error) => {
      if (this.retired.has(decoder)) return;
      this.decoder = undefined;
      this.stderr.write(`ffmpeg could not be started: ${error.message}\n`);
      this.finish(1, null);
    });
    return decoder;
  }

  /** Stops the decoder quietly: its exit is not this process's. */
  private retireDecoder(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    const decoder = this.decoder;
    if (!decoder) return;
    this.decoder = undefined;
    this.retired.add(decoder);
    decoder.kill('SIGKILL');
  }

  /** Writes to the decoder, waiting while its pipe is full (the feed meanwhile skips if it must). */
  private async write(bytes: Uint8Array): Promise<void> {
    const decoder = this.decoder;
    const stdin = decoder?.stdin;
    if (!decoder || !stdin || stdin.destroyed || this.ended) return;
    this.stallTimer ??= this.watchDecoder(decoder);
    await writeOrWait(stdin, bytes);
  }

  private watchDecoder(decoder: CaptureProcess): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (decoder !== this.decoder) return;
      this.stderr.write(`timed out: the decoder made no picture for ${Math.round(this.stallMs / 1000)} s\n`);
      decoder.kill('SIGKILL');
    }, this.stallMs);
    timer.unref?.();
    return timer;
  }

  private release(): void {
    const feed = this.feed;
    this.feed = undefined;
    if (feed) this.source.unsubscribe(feed);
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    this.ended = true;
    this.release();
    this.retireDecoder();
    this.stdout.end();
    this.stderr.end();
    queueMicrotask(() => this.emit('exit', code, signal));
  }
}

/**
 * How far into the stream "now" is, when the feed starts with the frames since the last keyframe
 * (queued at once when the transcoder subscribed): the newest one's decode time past the first's.
 */
function catchUpSeconds(feed: LiveFeed, timescale: number): number {
  const queued = feed.queuedDecodeTimes();
  if (queued.length < 2 || !(timescale > 0)) return 0;
  return (queued.at(-1)! - queued[0]!) / timescale;
}
