/** A span of buffered media, in seconds on the stream's own timeline. */
export type TimeRange = { readonly start: number; readonly end: number };

export function toRanges(buffered: Pick<TimeRanges, 'length' | 'start' | 'end'>): TimeRange[] {
  return Array.from({ length: buffered.length }, (_, i) => ({ start: buffered.start(i), end: buffered.end(i) }));
}

/**
 * How far playback may fall behind the newest buffered frame before the player jumps ahead.
 * Measured with one frame per fragment at 15 fps in Debian's Chromium: at 0.5 s the first picture
 * came 180 ms after navigation, 15.1 fps were shown and camera→screen was 363 ms p95; at 0.12 s
 * camera→screen was 276 ms, but the first picture took 239 ms and only 14.5 fps were shown, as
 * ordinary network jitter kept setting off seeks, and each seek skips frames. A smooth picture is
 * worth the 90 ms.
 */
export const LIVE_BEHIND_THRESHOLD_S = 0.5;

/** A jump lands this far short of the newest frame: room for a frame or so of network jitter before playback runs dry. */
export const LIVE_EDGE_MARGIN_S = 0.1;

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
