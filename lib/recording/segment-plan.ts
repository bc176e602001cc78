import type { InitSegment } from '../fmp4/init-segment';
import type { MediaFragment } from '../fmp4/media-fragment';

/**
 * Where a camera's stream of fragments is cut into segments, and the clock time of each: pure, no
 * IO. A segment starts at a keyframe, with the init segment in force, and is cut at the first
 * keyframe after it has run its length. It also ends (and the next starts at the next keyframe)
 * when the stream changes (a new init), ends, or its clock strays from the server's: a camera
 * that restarted its timestamps, or a jump of the server's clock, re-anchors the next segment.
 */

/** How far a fragment's clock time (from the segment's start and the camera's timestamps) may stray from its arrival. */
export const MAX_CLOCK_STRAY_MS = 2_000;

export type OpenSegment = {
  init: InitSegment;
  /** Its keyframe's arrival, or earlier when a later frame shows it came late. */
  startedAt: number;
  mediaStart: number;
  /** The clock time at the end of the last fragment taken. */
  endedAt: number;
  /** The last fragment's length, for one whose boxes give none. */
  lastDurationMs: number;
};

export type PlanStep =
  | { kind: 'begin'; segment: OpenSegment }
  | { kind: 'append'; segment: OpenSegment }
  /** The open segment ends; `then` says whether this fragment begins the next one. */
  | { kind: 'cut'; ended: OpenSegment; next: OpenSegment | undefined }
  /** Not recorded: before the first keyframe, or while paused. */
  | { kind: 'skip' };

export class SegmentPlan {
  private init: InitSegment | undefined;
  private current: OpenSegment | undefined;

  constructor(private readonly segmentMs: number) {}

  get open(): OpenSegment | undefined {
    return this.current;
  }

  /** A new stream: what was open ends. */
  newInit(init: InitSegment): OpenSegment | undefined {
    this.init = init;
    return this.end();
  }

  /** The stream ended, the recording paused or stopped: what was open ends. */
  end(): OpenSegment | undefined {
    const ended = this.current;
    this.current = undefined;
    return ended;
  }

  /**
   * The step for a fragment that arrived at `receivedAt`. With `mayBegin` false (the disk is full,
   * the recording paused) no segment begins, but one open goes on.
   */
  take(fragment: MediaFragment, receivedAt: number, mayBegin = true): PlanStep {
    const init = this.init;
    if (!init) return { kind: 'skip' };
    const current = this.current;
    if (current) {
      let clock = clockAt(current, fragment.decodeTime);
      const strayed = Math.abs(clock - receivedAt) > MAX_CLOCK_STRAY_MS || clock < current.endedAt - current.lastDurationMs;
      if (!strayed && clock > receivedAt) {
        // No frame arrives before its capture: one ahead of the segment's clock shows that the
        // keyframe it was anchored to came late (a camera's or a connection's start-up sends its
        // first frames in a burst), and the segment moves back to it. Otherwise its end would
        // overlap the next segment, anchored to its own keyframe's arrival, and playback would
        // skip that much at the cut.
        current.startedAt -= clock - receivedAt;
        current.endedAt -= clock - receivedAt;
        clock = receivedAt;
      }
      const due = fragment.keyframe && clock - current.startedAt >= this.segmentMs;
      if (!strayed && !due) {
        this.extend(current, fragment, clock);
        return { kind: 'append', segment: current };
      }
      this.current = undefined;
      const next = fragment.keyframe && mayBegin ? this.begin(init, fragment, receivedAt) : undefined;
      return { kind: 'cut', ended: current, next };
    }
    if (!fragment.keyframe || !mayBegin) return { kind: 'skip' };
    return { kind: 'begin', segment: this.begin(init, fragment, receivedAt) };
  }

  private begin(init: InitSegment, fragment: MediaFragment, receivedAt: number): OpenSegment {
    const segment: OpenSegment = { init, startedAt: receivedAt, mediaStart: fragment.decodeTime, endedAt: receivedAt, lastDurationMs: 0 };
    this.extend(segment, fragment, receivedAt);
    this.current = segment;
    return segment;
  }

  private extend(segment: OpenSegment, fragment: MediaFragment, clock: number): void {
    // Where the boxes give no duration, a frame lasts as long as the one before (or 1/15 s).
    const durationMs = fragment.duration !== undefined ? (fragment.duration / segment.init.timescale) * 1000 : segment.lastDurationMs || 1000 / 15;
    segment.lastDurationMs = durationMs;
    segment.endedAt = Math.max(segment.endedAt, clock + durationMs);
  }
}

function clockAt(segment: OpenSegment, decodeTime: number): number {
  return segment.startedAt + ((decodeTime - segment.mediaStart) / segment.init.timescale) * 1000;
}
