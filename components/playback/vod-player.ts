import type { Span } from '@/lib/recording/types';
import {
  BEHIND_S,
  clockOfTime,
  gapJump,
  GAP_EPSILON_S,
  isBuffered,
  landingAt,
  needsNewBase,
  nextFetchAt,
  nextSpanStart,
  timeOfClock,
  timestampOffset,
  trimEnd,
} from './buffer-plan';
import { dayOf } from './local-day';
import { readPlacement } from './media-headers';
import { watchPresentedFrames } from './presented-frames';
import { mimeType, SourceBufferQueue } from './source-buffer-queue';

export type VodState = 'loading' | 'playing' | 'paused' | 'ended' | 'failed';

export type VodPlayerOptions = {
  /** The media route for a moment: /api/recordings/<camera>/media?at=. */
  mediaUrl(at: number): string;
  /** The camera's spans as known now: where footage goes on after a gap. */
  spans(): readonly Span[];
  onState(state: VodState, reason?: string): void;
  /** The clock time of the picture shown (or, while a seek waits for its picture, of the target). */
  onClock(clock: number): void;
};

const TICK_MS = 200;
// Between removals: each is an update of its own that holds up the next append.
const TRIM_EVERY_MS = 2_000;
// At the end of what is recorded the recorder may still be writing: ask again this often.
const END_RETRY_MS = 3_000;
// Footage that ended this recently may be a recording still being written.
const STILL_WRITING_MS = 120_000;
const ERROR_RETRY_MS = 1_000;
// Fewer clock reports than frames: the page's timeline need not re-render 30 times a second.
const CLOCK_STEP_MS = 100;
const DAY_MS = 24 * 3_600_000;
// A base holds its day before and up to 30 days after it (needsNewBase), with room.
const BASE_SPAN_S = 40 * 24 * 3_600;

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * Plays recorded footage of one camera in a <video> through Media Source Extensions: fetches the
 * media route ahead of the picture (one request at a time, each with its own AbortController),
 * places every response on the clock (video time = (clock - base) / 1000), trims what is far
 * behind, steps over holes (a gap between spans, a seam between segments) and seeks, reusing the
 * buffer when the target is in it.
 */
export class VodPlayer {
  private base: number | undefined;
  private mediaSource: MediaSource | undefined;
  private objectUrl: string | undefined;
  private opened: Promise<void> = Promise.resolve();
  private queue: SourceBufferQueue | undefined;
  // Bumped by each seek that drops the buffer: what an older request still delivers is thrown away.
  private generation = 0;
  private request: AbortController | undefined;
  /** Where the next request asks; undefined before the first seek. */
  private cursor: number | undefined;
  /** The clock time the fetched footage reaches. */
  private fetchedUntil = Number.NEGATIVE_INFINITY;
  private retryAfter = 0;
  private atEnd = false;
  private rate = 1;
  private wantPlaying = true;
  /** A seek's target until a picture is shown. */
  private seekTarget: number | undefined;
  private lastClock: number | undefined;
  private lastTrimAt = 0;
  private waiting = false;
  private failedReason: string | undefined;
  private currentState: VodState | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly cleanups: Array<() => void> = [];
  private disposed = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly options: VodPlayerOptions,
  ) {
    video.muted = true;
    video.playsInline = true;
    const listen = (type: string, handler: () => void) => {
      video.addEventListener(type, handler);
      this.cleanups.push(() => video.removeEventListener(type, handler));
    };
    listen('waiting', () => {
      this.waiting = true;
      this.tick();
    });
    listen('playing', () => {
      this.waiting = false;
      this.updateState();
    });
    listen('seeked', () => this.tick());
    listen('error', () => this.fail(`media error ${video.error?.code ?? ''}: ${video.error?.message ?? 'unknown'}`));
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.cleanups.push(watchPresentedFrames(video, (seconds) => this.frameShown(seconds)));
  }

  /** The clock time of the picture shown; undefined before there is one. */
  get clock(): number | undefined {
    if (this.seekTarget !== undefined || this.base === undefined) return this.seekTarget;
    return clockOfTime(this.base, this.video.currentTime);
  }

  get state(): VodState | undefined {
    return this.currentState;
  }

  /** Shows the picture at `clock` (or, in a gap, the next span's first), playing on if playing. */
  seek(clock: number): void {
    if (this.disposed || this.failedReason) return;
    const at = landingAt(this.options.spans(), clock);
    if (needsNewBase(this.base, at)) this.reopen(dayOf(at).start - DAY_MS);
    const base = this.base!;
    const buffered = this.queue?.buffered ?? [];
    if (!isBuffered(buffered, timeOfClock(base, at))) this.dropBuffer(at);
    this.seekTarget = at;
    this.video.currentTime = timeOfClock(base, at);
    this.report(at, true);
    this.updateState();
    this.tick();
  }

  play(): void {
    this.wantPlaying = true;
    this.video.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') this.fail(`autoplay refused: ${error.message}`);
    });
    this.updateState();
  }

  pause(): void {
    this.wantPlaying = false;
    this.video.pause();
    this.updateState();
  }

  get playing(): boolean {
    return this.wantPlaying;
  }

  /** 1, 2, 4 or 8: the buffer ahead grows with it (aheadMs). */
  setRate(rate: number): void {
    this.rate = rate;
    this.video.defaultPlaybackRate = rate;
    this.video.playbackRate = rate;
    this.tick();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    this.request?.abort();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.detach();
  }

  /** A new MediaSource on a new base: a video time cannot be negative, so footage before the base needs one. */
  private reopen(base: number): void {
    this.detach();
    this.base = base;
    this.generation += 1;
    const mediaSource = new MediaSource();
    this.mediaSource = mediaSource;
    this.opened = new Promise((resolve) =>
      mediaSource.addEventListener(
        'sourceopen',
        () => {
          // A seek beyond the duration is cut back to it, and appends only ever raise it to the end
          // of what is in: a seek past the buffer would land at its end. So the whole stretch a base
          // can hold (needsNewBase) is given from the start.
          mediaSource.duration = BASE_SPAN_S;
          resolve();
        },
        { once: true },
      ),
    );
    this.objectUrl = URL.createObjectURL(mediaSource);
    this.video.src = this.objectUrl;
    this.video.defaultPlaybackRate = this.rate;
    this.video.playbackRate = this.rate;
    if (this.wantPlaying) this.play();
  }

  private detach(): void {
    this.request?.abort();
    this.request = undefined;
    this.queue?.dispose();
    this.queue = undefined;
    this.mediaSource = undefined;
    if (this.objectUrl) {
      if (this.video.getAttribute('src') === this.objectUrl) {
        this.video.removeAttribute('src');
        this.video.load();
      }
      URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = undefined;
    }
  }

  /** Forgets what is buffered and fetching: the footage at `at` is asked for afresh. */
  private dropBuffer(at: number): void {
    this.generation += 1;
    this.request?.abort();
    this.request = undefined;
    this.queue?.clear();
    this.cursor = at;
    this.fetchedUntil = at;
    this.retryAfter = 0;
    this.atEnd = false;
  }

  private tick(): void {
    if (this.disposed || this.failedReason || this.base === undefined) return;
    const video = this.video;
    const queue = this.queue;
    const buffered = queue?.buffered ?? [];
    if (!video.seeking && !queue?.removing) {
      const jump = gapJump(video.currentTime, buffered);
      const holding = buffered.find((range) => video.currentTime >= range.start && video.currentTime < range.end);
      // Near the end of a range only a stalled video jumps: one still playing has frames left there.
      if (jump !== undefined && (!holding || this.waiting || holding.end - video.currentTime < GAP_EPSILON_S / 3)) {
        video.currentTime = jump;
      }
    }
    const picture = this.clock ?? this.cursor ?? 0;
    const now = performance.now();
    if (!this.request && now >= this.retryAfter && (!this.atEnd || this.mayHaveMore())) {
      const at = nextFetchAt(this.cursor, picture, this.fetchedUntil, this.rate);
      if (at !== undefined) void this.load(at, this.generation);
    }
    if (queue && now - this.lastTrimAt >= TRIM_EVERY_MS && queue.idle) {
      this.lastTrimAt = now;
      const end = trimEnd(video.currentTime, buffered, BEHIND_S);
      if (end !== undefined) queue.remove(0, end);
    }
    queue?.pump();
    this.updateState();
  }

  private async load(at: number, generation: number): Promise<void> {
    const controller = new AbortController();
    this.request = controller;
    try {
      await this.opened;
      if (generation !== this.generation) return;
      const response = await fetch(this.options.mediaUrl(at), { signal: controller.signal, cache: 'no-store' });
      if (generation !== this.generation) return void response.body?.cancel();
      if (response.status === 404) {
        await response.body?.cancel();
        this.afterFootage(at);
        return;
      }
      if (!response.ok || !response.body) throw new Error(`the media route answered ${response.status}: ${await response.text().catch(() => '')}`);
      const placement = readPlacement(response.headers);
      const queue = this.prepare(placement.codec);
      if (!queue) return void response.body.cancel();
      const start = { codec: placement.codec, offset: timestampOffset(placement.clockStart, this.base!, placement.mediaStart) };
      const reader = response.body.getReader();
      let first = true;
      // Appended as it comes, so that the picture shows as soon as the keyframe is in, not when all 20 s are.
      for (;;) {
        const { done, value } = await reader.read();
        if (generation !== this.generation) return void reader.cancel().catch(() => {});
        if (done) break;
        queue.append(new Uint8Array(value), first ? start : undefined);
        first = false;
      }
      this.fetchedUntil = placement.clockEnd;
      if (placement.next !== undefined) this.cursor = placement.next;
      else this.afterFootage(placement.clockEnd);
    } catch (error) {
      if (generation !== this.generation || isAbort(error)) return;
      if (error instanceof Error && error.message.startsWith('playback:')) return this.fail(error.message);
      // The server restarted, the network blinked: the same request again, shortly.
      this.retryAfter = performance.now() + ERROR_RETRY_MS;
    } finally {
      if (this.request === controller) this.request = undefined;
      if (generation === this.generation) this.tick();
    }
  }

  /** Nothing more at `clock`: on to the next span (over the gap), or, at the end, ask there again later. */
  private afterFootage(clock: number): void {
    const next = nextSpanStart(this.options.spans(), clock + 1);
    if (next !== undefined) {
      this.cursor = next;
      this.fetchedUntil = Math.max(this.fetchedUntil, Math.min(next, clock));
      return;
    }
    this.cursor = clock;
    this.atEnd = true;
    this.retryAfter = performance.now() + END_RETRY_MS;
  }

  /**
   * At the end of the footage, whether asking again is worth it: the spans (refreshed by the page)
   * now reach further, or the end is recent enough that the recorder may still be writing.
   */
  private mayHaveMore(): boolean {
    const cursor = this.cursor;
    if (cursor === undefined) return false;
    return Date.now() - cursor < STILL_WRITING_MS || this.options.spans().some((span) => span.end > cursor + 1_000);
  }

  /** The source buffer, made with the first response's codec; undefined when it cannot be. */
  private prepare(codec: string): SourceBufferQueue | undefined {
    const mediaSource = this.mediaSource;
    if (!mediaSource || mediaSource.readyState !== 'open') return undefined;
    if (!MediaSource.isTypeSupported(mimeType(codec))) {
      this.fail(`this browser cannot play ${codec} through Media Source Extensions`);
      return undefined;
    }
    try {
      this.queue ??= new SourceBufferQueue(mediaSource, codec, {
        currentTime: () => this.video.currentTime,
        onUpdateEnd: () => this.tick(),
        onFail: (reason) => this.fail(reason),
      });
    } catch (error) {
      this.fail(`the browser refused ${codec}: ${String(error)}`);
    }
    return this.queue;
  }

  private frameShown(seconds: number): void {
    if (this.base === undefined || this.video.seeking) return;
    const clock = clockOfTime(this.base, seconds);
    const wasSeeking = this.seekTarget !== undefined;
    this.seekTarget = undefined;
    this.report(clock, wasSeeking);
    this.updateState();
  }

  private report(clock: number, force: boolean): void {
    if (!force && this.lastClock !== undefined && Math.abs(clock - this.lastClock) < CLOCK_STEP_MS) return;
    this.lastClock = clock;
    this.options.onClock(clock);
  }

  private updateState(): void {
    if (this.failedReason) return;
    const video = this.video;
    const ready = !video.seeking && video.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && !this.waiting;
    const state: VodState = ready
      ? this.wantPlaying
        ? 'playing'
        : 'paused'
      : this.atEnd && !this.request
        ? 'ended'
        : this.wantPlaying || this.seekTarget !== undefined
          ? 'loading'
          : 'paused';
    if (state === this.currentState) return;
    this.currentState = state;
    this.options.onState(state);
  }

  private fail(reason: string): void {
    if (this.disposed || this.failedReason) return;
    this.failedReason = reason;
    this.request?.abort();
    this.queue?.dispose();
    this.currentState = 'failed';
    this.options.onState('failed', reason);
  }
}
