/** A span of buffered media, in seconds on the stream's own timeline. */
export type TimeRange = { readonly start: number; readonly end: number };

export function toRanges(buffered: Pick<TimeRanges, 'length' | 'start' | 'end'>): TimeRange[] {
  return Array.from({ length: buffered.length }, (_, i) => ({ start: buffered.start(i), end: buffered.end(i) }));
}

/**
 * How far playback may fall behind the newest buffered frame before the player does something
 * about it (catches up, see catchUpRate; jumps when further behind). Measured, when it jumped at
 * once, with one frame per fragment at 15 fps in Debian's Chromium: at 0.5 s the first picture came
 * 180 ms after navigation, 15.1 fps were shown and camera→screen was 363 ms p95; at 0.12 s
 * camera→screen was 276 ms, but the first picture took 239 ms and only 14.5 fps were shown, as
 * ordinary network jitter kept setting off seeks, and each seek skips frames. A smooth picture is
 * worth the 90 ms.
 */
export const LIVE_BEHIND_THRESHOLD_S = 0.5;

/**
 * Playback a little behind plays this much faster until it is near the newest frame again: every
 * frame is shown, where a jump skips some. 36 tiles at 5 fps on two busy cores jumped 5 times a
 * second in all, each jump skipping about two frames, and showed 92 % of their frames.
 */
export const CATCH_UP_RATE = 1.25;

/** Further behind than the threshold by this, catching up would take long (4 s at CATCH_UP_RATE): a jump, e.g. for a tab shown again. */
export const CATCH_UP_AT_MOST_S = 1;

/** A jump lands this far short of the newest frame: room for a frame or so of network jitter before playback runs dry. */
export const LIVE_EDGE_MARGIN_S = 0.1;

/**
 * The threshold and margin for fragments `frameSeconds` apart (one frame each). The figures above
 * were measured at 15 fps. At a grid tile's 5 fps a frame lasts 0.2 s, and a jump to 0.1 s short of
 * the newest frame's end lands inside that frame: the next one is due before it can come, playback
 * waits for it, falls behind again and jumps again, skipping frames each time (36 tiles at 5 fps:
 * 0.36 jumps a second per tile, 14 % of the frames never shown). So a jump lands at least 1.5
 * frames short of the end, and playback may fall 2 frames further behind before it catches up.
 * At 15 fps and above this is the figures above.
 */
export function liveEdgeFor(frameSeconds: number | undefined): LiveEdge {
  const known = frameSeconds !== undefined && frameSeconds > 0;
  const margin = known ? Math.max(LIVE_EDGE_MARGIN_S, 1.5 * frameSeconds) : LIVE_EDGE_MARGIN_S;
  const threshold = known ? Math.max(LIVE_BEHIND_THRESHOLD_S, margin + 2 * frameSeconds) : LIVE_BEHIND_THRESHOLD_S;
  return { threshold, margin, jumpAfter: threshold + CATCH_UP_AT_MOST_S };
}

/** Seconds behind the newest frame: from `threshold` playback catches up, from `jumpAfter` it jumps to `margin` short of it. */
export type LiveEdge = { threshold: number; margin: number; jumpAfter: number };

/**
 * The playback rate for `behind` seconds behind the newest frame, playing at `rate` now: faster
 * past the threshold, back to 1 once halfway from it to the margin (not at the threshold itself,
 * or ordinary jitter would keep switching), and as it was in between.
 */
export function catchUpRate(behind: number, rate: number, { threshold, margin }: LiveEdge): number {
  if (!Number.isFinite(behind)) return 1;
  if (behind > threshold) return CATCH_UP_RATE;
  if (behind <= (threshold + margin) / 2) return 1;
  return rate;
}

/** Kept behind playback, so that a removal never races the decoder over what it is showing. */
export const KEEP_BEHIND_S = 3;

/**
 * Where to seek to be live again, or undefined when playback is near enough the newest frame.
 * Playback before the newest range (at the start, or left in front of a gap when frames stopped
 * for a while) would wait there for ever, so it jumps too.
 */
export function liveSeekTarget(
  currentTime: number,
  buffered: readonly TimeRange[],
  threshold = LIVE_BEHIND_THRESHOLD_S,
  margin = LIVE_EDGE_MARGIN_S,
): number | undefined {
  const newest = buffered.at(-1);
  if (!newest) return undefined;
  if (currentTime >= newest.start && newest.end - currentTime <= threshold) return undefined;
  return Math.max(newest.start, newest.end - margin);
}

/**
 * The end of what can be removed behind playback, or undefined when nothing can be.
 *
 * A removal takes with it the frames after its end up to the next keyframe, as they cannot be
 * decoded without what was removed; Chromium, finding no keyframe after the end, removes the rest
 * of the range, the frame on screen included. So a removal ends on a keyframe at least
 * `keepBehind` behind playback, which is at or before the keyframe of the picture being shown.
 */
export function trimEnd(
  currentTime: number,
  buffered: readonly TimeRange[],
  keyframes: readonly number[],
  keepBehind = KEEP_BEHIND_S,
): number | undefined {
  const oldest = buffered[0];
  if (!oldest) return undefined;
  const limit = currentTime - keepBehind;
  let end: number | undefined;
  for (const keyframe of keyframes) if (keyframe <= limit && (end === undefined || keyframe > end)) end = keyframe;
  return end !== undefined && end > oldest.start ? end : undefined;
}
