import { BoxSplitter } from '@/lib/fmp4/box-splitter';
import { parseInitSegment, type InitSegment } from '@/lib/fmp4/init-segment';
import { concatBytes } from '@/lib/fmp4/concat-bytes';
import { fragmentStart } from '@/lib/fmp4/fragment-start';
import { catchUpRate, KEEP_BEHIND_S, liveEdgeFor, liveSeekTarget, toRanges, trimEnd } from './live-edge';

export type MsePlayerState = 'starting' | 'playing' | 'stalled' | 'failed';

export type MsePlayerOptions = {
  /** Each change of state; for 'stalled' and 'failed' a reason an operator can read, e.g. for falling back to MJPEG. */
  onState(state: MsePlayerState, reason?: string): void;
  /** Each new frame on screen (without requestVideoFrameCallback: each tick in which playback moved), e.g. for an fps figure. */
  onFrame?(): void;
};

/** Frigate's player calls 3 s without progress stalled; a camera at a few fps shows several frames in that time. */
export const STALL_AFTER_MS = 3_000;
// Checks often enough that a stall is told within a quarter second of its 3 s.
const TICK_MS = 250;
// A removal is an update of its own that holds up the next append: once a second keeps the buffer small without taxing each frame.
const TRIM_EVERY_MS = 1_000;
// Fragments further apart than this are frames skipped (a viewer that fell behind), not the frame rate.
const MAX_FRAME_S = 1;

type MediaSourceClass = { new (): MediaSource; isTypeSupported(type: string): boolean };

function mediaSourceClass(): { create: MediaSourceClass; managed: boolean } | undefined {
  const scope = globalThis as { MediaSource?: MediaSourceClass; ManagedMediaSource?: MediaSourceClass };
  if (scope.MediaSource) return { create: scope.MediaSource, managed: false };
  // iPhone Safari has Media Source Extensions only in this form.
  if (scope.ManagedMediaSource) return { create: scope.ManagedMediaSource, managed: true };
  return undefined;
}

const mimeType = (codec: string) => `video/mp4; codecs="${codec}"`;

/**
 * Plays a camera's live fragmented MP4 (an init segment, then one moof+mdat per frame) in a <video>
 * through Media Source Extensions, and keeps it live: playback is held near the newest frame, what
 * is behind it is removed, and a picture that stops moving is reported. One player per stream: a
 * new init segment (the camera restarted) wants a new player.
 */
export class MsePlayer {
  /** Whether this browser can play that codec (an RFC 6381 string, e.g. "avc1.42C01E") through MSE. */
  static canPlay(codec: string): boolean {
    return mediaSourceClass()?.create.isTypeSupported(mimeType(codec)) ?? false;
  }

  private currentState: MsePlayerState | undefined;
  private mediaSource: MediaSource | undefined;
  private sourceBuffer: SourceBuffer | undefined;
  private objectUrl: string | undefined;
  private track: InitSegment | undefined;
  private readonly queue: Uint8Array[] = [];
  private keyframes: number[] = [];
  // Where the newest appended fragment starts, in seconds: what lies at or before it is here already.
  private newestAppended = Number.NEGATIVE_INFINITY;
  // Seconds from one fragment to the next, smoothed: how far from the newest frame playback may stay (liveEdgeFor).
  private frameSeconds: number | undefined;
  private readonly cleanups: Array<() => void> = [];
  private quotaRetried = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private frameRequest: number | undefined;
  private shown = 0;
  private lastShownAt: number | undefined;
  private lastTime = 0;
  private lastTrimAt = 0;
  // Time without frames counts from here: the start, or the tab's coming back into view.
  private watchFrom = 0;
  private disposed = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly options: MsePlayerOptions,
  ) {}

  private get countsFrames(): boolean {
    return typeof this.video.requestVideoFrameCallback === 'function';
  }

  get state(): MsePlayerState | undefined {
    return this.currentState;
  }

  /** Frames presented, as counted by requestVideoFrameCallback; stays 0 in a browser without it. */
  get framesShown(): number {
    return this.shown;
  }

  /** performance.now() when a new frame was last seen on screen. */
  get lastFrameAt(): number | undefined {
    return this.lastShownAt;
  }

  /** Seconds from what is on screen to the newest buffered frame; NaN before anything is buffered. */
  get behindLiveSeconds(): number {
    const buffered = this.video.buffered;
    return buffered.length ? buffered.end(buffered.length - 1) - this.video.currentTime : Number.NaN;
  }

  start(init: Uint8Array, codec: string): void {
    if (this.disposed || this.currentState) throw new Error('MsePlayer: start() once per player, before dispose()');
    this.setState('starting');
    const source = mediaSourceClass();
    if (!source) return this.fail('this browser has no Media Source Extensions');
    if (!source.create.isTypeSupported(mimeType(codec))) return this.fail(`codec ${codec} not supported`);
    this.track = readInit(init);
    const mediaSource = new source.create();
    this.mediaSource = mediaSource;
    const video = this.video;
    // Only a muted inline video may start without a gesture, on phones above all.
    video.muted = true;
    video.playsInline = true;
    // Not a catch-up rate an earlier player of this video left (keepLive).
    video.playbackRate = 1;
    // A ManagedMediaSource opens only once AirPlay is ruled out (or given a source of its own).
    if (source.managed) video.disableRemotePlayback = true;
    this.listen(mediaSource, 'sourceopen', () => this.open(mediaSource, codec));
    this.listen(video, 'error', () => this.fail(mediaErrorReason(video.error)));
    this.listen(document, 'visibilitychange', () => this.onVisibilityChange());
    this.queue.unshift(init);
    this.objectUrl = URL.createObjectURL(mediaSource);
    video.src = this.objectUrl;
    this.watchFrom = performance.now();
    this.timer = setInterval(() => this.housekeep(), TICK_MS);
    if (this.countsFrames) this.requestFrame();
    this.play();
  }

  append(fragment: Uint8Array): void {
    if (this.disposed || this.currentState === 'failed') return;
    if (!this.currentState) throw new Error('MsePlayer: append() before start()');
    const timing = this.track && fragmentTiming(fragment, this.track);
    if (timing) {
      // A stream joined again resends the frames since its last keyframe (VideoPartsPlayer): this
      // player has them, and appending them again would send the decoder back over the picture on screen.
      if (timing.seconds <= this.newestAppended) return;
      const step = timing.seconds - this.newestAppended;
      if (step < MAX_FRAME_S) this.frameSeconds = this.frameSeconds === undefined ? step : this.frameSeconds * 0.9 + step * 0.1;
      this.newestAppended = timing.seconds;
      if (timing.keyframe) this.keyframes.push(timing.seconds);
    }
    this.queue.push(fragment);
    this.pump();
  }

  /** Stops, detaches the MediaSource from the video and frees its buffers; may be called again. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopWatching();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.queue.length = 0;
    if (this.objectUrl) {
      // Unless the caller has already given the video something else to play.
      if (this.video.getAttribute('src') === this.objectUrl) {
        this.video.removeAttribute('src');
        this.video.load();
      }
      URL.revokeObjectURL(this.objectUrl);
    }
    this.mediaSource = undefined;
    this.sourceBuffer = undefined;
  }

  private open(mediaSource: MediaSource, codec: string): void {
    if (this.disposed || this.sourceBuffer || this.currentState === 'failed') return;
    try {
      this.sourceBuffer = mediaSource.addSourceBuffer(mimeType(codec));
    } catch (error) {
      return this.fail(`codec ${codec} refused: ${String(error)}`);
    }
    // The fragments' own timestamps place them (as go2rtc does), so that a gap stays a gap.
    this.sourceBuffer.mode = 'segments';
    this.listen(this.sourceBuffer, 'updateend', () => this.afterUpdate());
    this.pump();
  }

  /** One append at a time; whatever waited meanwhile goes in as one, which lets a late viewer's backlog in at once. */
  private pump(): void {
    const buffer = this.sourceBuffer;
    if (!buffer || buffer.updating || this.queue.length === 0 || this.currentState === 'failed') return;
    const bytes = concatBytes(...this.queue.splice(0));
    try {
      buffer.appendBuffer(bytes);
      this.quotaRetried = false;
    } catch (error) {
      const full = error instanceof DOMException && error.name === 'QuotaExceededError';
      if (full && !this.quotaRetried) {
        this.quotaRetried = true;
        this.queue.unshift(bytes);
        if (this.trim(0)) return; // its updateend pumps again
      }
      this.fail(full ? 'buffer full, even after removing what was played' : `append failed: ${String(error)}`);
    }
  }

  private afterUpdate(): void {
    if (this.disposed) return;
    this.keepLive();
    if (performance.now() - this.lastTrimAt >= TRIM_EVERY_MS) this.trim(KEEP_BEHIND_S);
    this.pump();
  }

  /** Keeps playback near the newest frame: faster when a little behind, a jump when far behind or before the newest range. */
  private keepLive(): void {
    const video = this.video;
    if (video.seeking) return;
    const edge = liveEdgeFor(this.frameSeconds);
    const buffered = toRanges(video.buffered);
    const target = liveSeekTarget(video.currentTime, buffered, edge.jumpAfter, edge.margin);
    const newestEnd = buffered.at(-1)?.end ?? Number.NaN;
    const rate = target === undefined ? catchUpRate(newestEnd - video.currentTime, video.playbackRate, edge) : 1;
    if (video.playbackRate !== rate) video.playbackRate = rate;
    if (target === undefined) return;
    video.currentTime = target;
    this.lastTime = target; // a jump is no progress
  }

  /** Starts removing what lies well behind playback; false when there was nothing to remove or no way to now. */
  private trim(keepBehind: number): boolean {
    const buffer = this.sourceBuffer;
    if (!buffer || buffer.updating || this.mediaSource?.readyState !== 'open') return false;
    this.lastTrimAt = performance.now();
    const buffered = toRanges(buffer.buffered);
    const end = trimEnd(this.video.currentTime, buffered, this.keyframes, keepBehind);
    const oldest = Math.max(end ?? 0, buffered[0]?.start ?? 0);
    this.keyframes = this.keyframes.filter((keyframe) => keyframe >= oldest);
    if (end === undefined) return false;
    // Cannot throw: the source is open, the buffer idle, and end lies after 0 and at or before currentTime.
    buffer.remove(0, end);
    return true;
  }

  private housekeep(): void {
    // Without requestVideoFrameCallback, time moving on by playback is taken for new frames.
    if (!this.countsFrames && this.video.currentTime !== this.lastTime && !this.video.seeking) {
      this.lastTime = this.video.currentTime;
      this.frameSeen();
    }
    const now = performance.now();
    if (now - this.lastTrimAt >= TRIM_EVERY_MS) this.trim(KEEP_BEHIND_S);
    // A hidden tab's video is paused on purpose, which is no stall.
    if (document.visibilityState !== 'visible' || (this.currentState !== 'playing' && this.currentState !== 'starting')) return;
    if (now - Math.max(this.lastShownAt ?? 0, this.watchFrom) < STALL_AFTER_MS) return;
    const seconds = STALL_AFTER_MS / 1000;
    this.setState('stalled', this.lastShownAt === undefined ? `no picture ${seconds} s after start` : `no new frame for ${seconds} s`);
    // A play() the browser cut short leaves the video paused with frames to show.
    if (this.video.paused) this.play();
  }

  private onVisibilityChange(): void {
    if (document.visibilityState !== 'visible' || this.disposed || this.currentState === 'failed') return;
    // The video stood still while hidden: what it would resume with is old.
    this.watchFrom = performance.now();
    this.keepLive();
    if (this.video.paused) this.play();
  }

  private requestFrame(): void {
    this.frameRequest = this.video.requestVideoFrameCallback(() => {
      this.shown += 1;
      this.frameSeen();
      this.requestFrame();
    });
  }

  private frameSeen(): void {
    this.lastShownAt = performance.now();
    this.options.onFrame?.();
    if (this.currentState === 'starting' || this.currentState === 'stalled') this.setState('playing');
  }

  private play(): void {
    this.video.play().catch((error: unknown) => {
      // An AbortError is a play() overtaken by dispose() or a new source: nothing to tell.
      if (error instanceof DOMException && error.name === 'NotAllowedError') this.fail(`autoplay refused: ${error.message}`);
    });
  }

  private fail(reason: string): void {
    if (this.disposed || this.currentState === 'failed') return;
    this.stopWatching();
    this.queue.length = 0;
    this.setState('failed', reason);
  }

  private setState(state: MsePlayerState, reason?: string): void {
    if (this.disposed || state === this.currentState) return;
    this.currentState = state;
    this.options.onState(state, reason);
  }

  private stopWatching(): void {
    clearInterval(this.timer);
    if (this.frameRequest !== undefined) this.video.cancelVideoFrameCallback(this.frameRequest);
    this.frameRequest = undefined;
  }

  private listen(target: EventTarget, type: string, handler: () => void): void {
    target.addEventListener(type, handler);
    this.cleanups.push(() => target.removeEventListener(type, handler));
  }
}

/**
 * The init's video track, for telling keyframes apart: a removal from a SourceBuffer must end on
 * one (see trimEnd), and buffered ranges do not say where they lie. Undefined when the init cannot
 * be read: no keyframe is then known and nothing is removed, but the video still plays.
 */
function readInit(init: Uint8Array): InitSegment | undefined {
  try {
    const boxes = new BoxSplitter().push(init);
    const moov = boxes.find((box) => box.type === 'moov');
    return moov && parseInitSegment(boxes.find((box) => box.type === 'ftyp')?.bytes, moov.bytes);
  } catch {
    return undefined;
  }
}




const MEDIA_ERRORS = ['', 'aborted', 'network', 'decode', 'source not supported'];

function mediaErrorReason(error: MediaError | null): string {
  const kind = error ? (MEDIA_ERRORS[error.code] ?? `code ${error.code}`) : 'unknown';
  return error?.message ? `media error: ${kind}: ${error.message}` : `media error: ${kind}`;
}

/** Where a fragment starts, in seconds, and whether a decoder can start there. */
function fragmentTiming(fragment: Uint8Array, track: InitSegment): { seconds: number; keyframe: boolean } | undefined {
  const start = fragmentStart(fragment, track);
  return start && { seconds: start.decodeTime / track.timescale, keyframe: start.keyframe };
}
