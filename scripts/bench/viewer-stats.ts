/** What a viewer saw, from the arrival times of its frames; pure, so that it is unit-tested. */
export type FrameArrival = {
  arrivedAt: number;
  capturedAt: number;
  /** When the frame's first bytes came (viewers on a plain socket): the rest is its transfer time. */
  firstByteAt?: number;
};

export type ViewerSummary = {
  frames: number;
  fps: number;
  firstFrameMs: number | undefined;
  largestGapMs: number;
  /** How far behind live the frames were: arrival minus the server's capture stamp. */
  behindMsMedian: number;
  behindMsMax: number;
};

export function summarize(arrivals: readonly FrameArrival[], openedAt: number, window: { from: number; to: number }): ViewerSummary {
  const inWindow = arrivals.filter((frame) => frame.arrivedAt >= window.from && frame.arrivedAt <= window.to);
  const behind = inWindow.map((frame) => frame.arrivedAt - frame.capturedAt).sort((a, b) => a - b);
  let largestGapMs = 0;
  let previous = window.from;
  for (const frame of inWindow) {
    largestGapMs = Math.max(largestGapMs, frame.arrivedAt - previous);
    previous = frame.arrivedAt;
  }
  largestGapMs = Math.max(largestGapMs, window.to - previous);
  return {
    frames: inWindow.length,
    fps: inWindow.length / ((window.to - window.from) / 1000),
    firstFrameMs: arrivals[0] === undefined ? undefined : arrivals[0].arrivedAt - openedAt,
    largestGapMs,
    behindMsMedian: behind[Math.floor(behind.length / 2)] ?? NaN,
    behindMsMax: behind.at(-1) ?? NaN,
  };
}

export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/**
 * How long each frame in the window had waited, from its capture, when its first bytes reached the
 * viewer: the age of the newest frame when the link was free, plus whatever was queued ahead of it.
 * The rest of "behind live" is the frame's own transfer time.
 */
export function waitsBeforeFirstByte(arrivals: readonly FrameArrival[], window: { from: number; to: number }): number[] {
  return arrivals
    .filter((frame) => frame.firstByteAt !== undefined && frame.arrivedAt >= window.from && frame.arrivedAt <= window.to)
    .map((frame) => frame.firstByteAt! - frame.capturedAt);
}
