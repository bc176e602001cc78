import type { Failure } from '../capture/exit-reason';
import { FrameRateMeter } from '../capture/frame-rate-meter';
import { LaunchFailure, ProcessSupervisor, type RunState, type RunStatus, type SupervisorDeps } from '../capture/process-supervisor';
import { Fmp4Error } from '../fmp4/fmp4-error';
import { Fmp4Reader } from '../fmp4/fmp4-reader';
import { NETWORK_TIMEOUT_MICROSECONDS } from '../ffmpeg/args';
import type { SourceKind } from '../config/source';
import { ByteRateMeter } from './byte-rate-meter';
import { GopCache } from './gop-cache';
import { LiveFeed } from './live-feed';
import { RtspReaderProcess } from './rtsp-reader-process';

/** As long as ffmpeg's network timeout for a camera (lib/ffmpeg/args.ts). */
const RTSP_TIMEOUT_MS = NETWORK_TIMEOUT_MICROSECONDS / 1000;

export type LiveSourceDeps = SupervisorDeps & { ffmpegPath: string | undefined; missingFfmpegReason?: string };

/**
 * The ffmpeg that writes the camera's video as fragmented MP4 (lib/ffmpeg/live-args.ts), and what
 * its log must not show. With `rtspUrl`, camdash's own RTSP client reads the camera, and the ffmpeg
 * only when the camera's video is a codec that client does not read.
 */
export type LiveReader = { args: string[]; sourceKind: SourceKind; secrets: readonly string[]; rtspUrl?: string };

/** Who reads the camera: camdash's own RTSP client, or an ffmpeg. */
export type ReadBy = 'camdash' | 'ffmpeg';

export type LiveSourceSnapshot = RunStatus & {
  /** Consumers holding the camera's connection now (viewers' players, the MJPEG transcoder). */
  consumers: number;
  codec: string | undefined;
  width: number | undefined;
  height: number | undefined;
  fps: number;
  /** The camera's own video bitrate, over the last seconds. */
  bitsPerSecond: number;
  lastFrameAt: number | undefined;
  framesIn: number;
  bytesIn: number;
  /** Who reads the camera in this run; undefined while that is not known yet. */
  readBy: ReadBy | undefined;
};

/**
 * A camera's one connection: one ffmpeg copying its video into fragmented MP4, shared by every
 * consumer of the camera. It runs while any consumer holds it (and a grace period after), keeps
 * the init segment and the frames since the last keyframe so that a new consumer starts at once,
 * and gives each consumer its own bounded feed (lib/live/live-feed.ts), so that none can slow the
 * camera or another consumer.
 */
export class LiveSource {
  private readonly feeds = new Set<LiveFeed>();
  private readonly cache = new GopCache();
  private reader = new Fmp4Reader();
  private readonly run: ProcessSupervisor;
  private readonly meter = new FrameRateMeter();
  private readonly bitrate = new ByteRateMeter();
  private graceTimer: NodeJS.Timeout | undefined;
  private lastFrameAt: number | undefined;
  private framesIn = 0;
  private bytesIn = 0;
  private readBy: ReadBy | undefined;
  private handedToFfmpeg = false;

  constructor(
    readonly id: string,
    reader: LiveReader,
    private readonly deps: LiveSourceDeps,
    label = id,
  ) {
    this.run = new ProcessSupervisor(label, id, reader.sourceKind, reader.secrets, deps, {
      launch: () => {
        const spawnFfmpeg = () => {
          if (!deps.ffmpegPath) throw new LaunchFailure({ kind: 'failed', reason: deps.missingFfmpegReason ?? 'ffmpeg not found' });
          return deps.spawn(deps.ffmpegPath, reader.args);
        };
        if (!reader.rtspUrl || this.handedToFfmpeg) {
          this.readBy = 'ffmpeg';
          return spawnFfmpeg();
        }
        this.readBy = undefined;
        return new RtspReaderProcess({
          url: reader.rtspUrl,
          timeoutMs: RTSP_TIMEOUT_MS,
          fallback: spawnFfmpeg,
          onReading: (reading) => {
            this.readBy = reading.by;
            // The camera's codec does not change between runs: later runs go to ffmpeg directly.
            if (reading.by === 'ffmpeg') this.handedToFfmpeg = true;
            this.run.log(
              reading.by === 'camdash'
                ? `read by camdash's own RTSP client (${reading.codec})`
                : `the camera sends ${reading.encoding}: ffmpeg started (pid ${reading.pid ?? '?'}) to read it`,
            );
          },
        });
      },
      onOutput: (chunk) => this.onOutput(chunk),
      wanted: () => this.feeds.size > 0,
      onRunEnded: (failure) => this.onRunEnded(failure),
      // Nobody left to want it while it waited: it stays stopped until somebody does.
      retry: () => (this.feeds.size > 0 ? this.start() : this.run.stop()),
    });
  }

  /** A new consumer's feed: the stream so far from its last keyframe, then every frame. */
  subscribe(): LiveFeed {
    const feed = new LiveFeed();
    this.feeds.add(feed);
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    // The init comes before the first frame: a consumer arriving between the two needs it too.
    const { init } = this.cache;
    if (init) {
      feed.push({ kind: 'init', init });
      const now = Date.now();
      for (const fragment of this.cache.sinceKeyframe) feed.push({ kind: 'fragment', fragment, receivedAt: now });
    }
    if (this.run.state === 'idle' || this.run.state === 'stopping') this.start();
    return feed;
  }

  unsubscribe(feed: LiveFeed): void {
    if (!this.feeds.delete(feed)) return;
    feed.close();
    if (this.feeds.size > 0 || !this.run.active) return;
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined;
      this.run.stop();
    }, this.deps.timing.graceMs);
    this.graceTimer.unref?.();
  }

  /** Ends every feed and stops ffmpeg; resolves when it has exited. */
  async shutdown(): Promise<void> {
    for (const feed of this.feeds) feed.close();
    this.feeds.clear();
    clearTimeout(this.graceTimer);
    this.run.stop();
    await this.run.exited();
  }

  get pid(): number | undefined {
    return this.run.pid;
  }

  get state(): RunState {
    return this.run.state;
  }

  snapshot(): LiveSourceSnapshot {
    const now = Date.now();
    const live = this.run.state === 'live';
    const init = this.cache.init;
    return {
      ...this.run.status(),
      consumers: this.feeds.size,
      codec: init?.codec,
      width: init?.width,
      height: init?.height,
      fps: live ? this.meter.rate(now) : 0,
      bitsPerSecond: live ? this.bitrate.bitsPerSecond(now) : 0,
      lastFrameAt: this.lastFrameAt,
      framesIn: this.framesIn,
      bytesIn: this.bytesIn,
      readBy: this.run.active ? this.readBy : undefined,
    };
  }

  private start(): void {
    this.reader = new Fmp4Reader();
    this.run.start((child) => (child instanceof RtspReaderProcess ? 'connecting to the camera' : `ffmpeg started (pid ${child.pid ?? '?'}) for the camera's video`));
  }

  private onOutput(chunk: Buffer): void {
    let events;
    try {
      events = this.reader.push(chunk);
    } catch (error) {
      // ffmpeg wrote something that is not fragmented MP4: this run cannot be followed any more.
      const problem = error instanceof Fmp4Error ? error.message : String(error);
      this.run.failNow({ kind: 'not a video stream', reason: `not a video stream: ${problem}` });
      return;
    }
    const now = Date.now();
    for (const event of events) {
      if (event.kind === 'init') {
        this.cache.setInit(event.init);
        for (const feed of this.feeds) feed.push(event);
        continue;
      }
      const { fragment } = event;
      this.run.progressed(now);
      this.cache.add(fragment);
      this.lastFrameAt = now;
      this.framesIn += 1;
      this.bytesIn += fragment.bytes.length;
      this.meter.record(now);
      this.bitrate.record(now, fragment.bytes.length);
      const item = { kind: 'fragment' as const, fragment, receivedAt: now };
      for (const feed of this.feeds) feed.push(item);
    }
  }

  /** A failure is news for every consumer (a player says why, a transcoder stops its decoder). */
  private onRunEnded(failure: Failure | undefined): void {
    this.cache.clear();
    if (!failure) return;
    const ended = { kind: 'ended' as const, failure };
    for (const feed of this.feeds) feed.push(ended);
  }
}
