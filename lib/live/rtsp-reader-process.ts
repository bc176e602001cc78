import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CaptureProcess } from '../capture/process';
import { RtspSession, type ConnectFunction } from '../rtsp/rtsp-session';
import type { VideoTrack } from '../rtsp/sdp';
import { NeedsReorderingError, RtpToFmp4 } from './rtp-to-fmp4';

export type RtspReaderOptions = {
  url: string;
  timeoutMs: number;
  /** The ffmpeg that reads the camera instead when its video is not H.264 (H.265, say). */
  fallback: () => CaptureProcess;
  /** Told which client reads the camera, once it is known. */
  onReading?: (reading: { by: 'camdash'; codec: string } | { by: 'ffmpeg'; pid: number | undefined; encoding: string }) => void;
  connect?: ConnectFunction;
};

/**
 * The camera's connection read by the server itself: RTSP over TCP, the H.264 RTP made into
 * fragmented MP4 in-process (lib/live/rtp-to-fmp4.ts), with no ffmpeg and no pipe in between. It
 * stands in for the reader ffmpeg (fMP4 on stdout, errors on stderr in ffmpeg's words, an exit
 * when the session ends), so the supervisor's watchdog, backoff and reasons work unchanged. A
 * camera whose video is not H.264 is handed to the ffmpeg reader, which copies any codec.
 */
export class RtspReaderProcess extends EventEmitter implements CaptureProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private session: RtspSession | undefined;
  private delegate: CaptureProcess | undefined;
  private ended = false;

  constructor(private readonly options: RtspReaderOptions) {
    super();
    void this.run();
  }

  get pid(): number | undefined {
    return this.delegate?.pid;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.ended) return false;
    if (this.delegate) return this.delegate.kill(signal);
    this.session?.close();
    this.end(null, signal);
    return true;
  }

  private async run(): Promise<void> {
    let muxer: RtpToFmp4 | undefined;
    const session = new RtspSession(
      this.options.url,
      {
        onRtp: (packet) => {
          if (!muxer || this.ended) return;
          let out;
          try {
            out = muxer.push(packet);
          } catch (error) {
            muxer = undefined;
            session.close();
            this.session = undefined;
            // ffmpeg's copy carries the composition offsets B-frames need; its init follows ours.
            if (error instanceof NeedsReorderingError) this.handOver('H.264 with B-frames');
            // A camera's bytes that cannot be read (a malformed SPS, say) end this run, never the server.
            else this.fail(`Invalid data found when processing input: ${(error as Error).message}`);
            return;
          }
          for (const bytes of out) this.stdout.write(bytes);
        },
        onClosed: (error) => {
          if (error) this.fail(error.message);
          else this.end(0, null);
        },
      },
      { timeoutMs: this.options.timeoutMs },
      this.options.connect,
    );
    this.session = session;
    let track: VideoTrack;
    try {
      track = await session.describe();
      if (this.ended) return session.close();
      if (track.encoding !== 'H264') {
        session.close();
        this.session = undefined;
        return this.handOver(track.encoding);
      }
      muxer = new RtpToFmp4(track);
      await session.play(track);
    } catch (error) {
      session.close();
      this.fail((error as Error).message);
      return;
    }
    this.options.onReading?.({ by: 'camdash', codec: 'H.264' });
  }

  private handOver(encoding: string): void {
    let child: CaptureProcess;
    try {
      child = this.options.fallback();
    } catch (error) {
      this.fail(`the camera sends ${encoding}, and ffmpeg, which reads it, could not be started: ${(error as Error).message}`);
      return;
    }
    this.delegate = child;
    child.stdout?.pipe(this.stdout);
    child.stderr?.pipe(this.stderr);
    child.once('exit', (code, signal) => this.end(code, signal));
    child.once('error', (error) => this.fail(`ffmpeg could not be started: ${error.message}`));
    this.options.onReading?.({ by: 'ffmpeg', pid: child.pid, encoding });
  }

  private fail(message: string): void {
    if (this.ended) return;
    // In ffmpeg's words alone, as the reason the status shows: "Connection refused", not "rtsp: Connection refused".
    this.stderr.write(`${message.replace(/^rtsp: /, '')}\n`);
    this.end(1, null);
  }

  private end(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    this.ended = true;
    this.session?.close();
    this.stdout.end();
    this.stderr.end();
    queueMicrotask(() => this.emit('exit', code, signal));
  }
}
