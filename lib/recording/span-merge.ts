import { SPAN_JOIN_GAP_MS, type Span } from './types';

/**
 * Stretches of footage from segments' [start, end) ordered by start: segments less than
 * SPAN_JOIN_GAP_MS apart (a cut at a keyframe) are one span, each clipped to [from, to].
 */
export function mergeSpans(ordered: Iterable<readonly [start: number, end: number]>, from: number, to: number): Span[] {
  const spans: Span[] = [];
  let current: Span | undefined;
  for (const [rawStart, rawEnd] of ordered) {
    const start = Math.max(rawStart, from);
    const end = Math.min(rawEnd, to);
    if (end <= start) continue;
    if (current && start - current.end < SPAN_JOIN_GAP_MS) {
      current.end = Math.max(current.end, end);
      continue;
    }
    current = { start, end };
    spans.push(current);
  }
  return spans;
}
