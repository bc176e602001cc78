import { describe, expect, it } from 'vitest';
import { EventTracker, type TrackerItem } from '@/lib/motion/event-tracker';
import { HEATMAP, type FrameVerdict } from '@/lib/motion/types';

const FRAME_MS = 200;
const still = (at: number): FrameVerdict => ({ at, motion: false, score: 0, boxes: [], zones: [] });
const moved = (at: number, fields: Partial<FrameVerdict> = {}): FrameVerdict => ({ at, motion: true, score: 0.05, boxes: [], zones: [], ...fields });

/** Feeds a pattern of frames 200 ms apart from `from`: 'x' moved, '.' still, 'L' a light change. */
function feed(tracker: EventTracker, pattern: string, from = 0, fields: (i: number) => Partial<FrameVerdict> = () => ({})): TrackerItem[] {
  return [...pattern].flatMap((c, i) => {
    const at = from + i * FRAME_MS;
    return tracker.feed(c === 'x' ? moved(at, fields(i)) : c === 'L' ? { ...still(at), lightChange: true } : still(at));
  });
}
const kinds = (items: TrackerItem[]) => items.map((item) => item.kind);

describe('EventTracker', () => {
  it('starts an event when 3 of 4 consecutive frames moved, dated from the first of them', () => {
    const tracker = new EventTracker({ endAfterSeconds: 10 });
    const items = feed(tracker, '..x.xx');
    expect(kinds(items)).toEqual(['start']);
    expect(items[0]!.event).toMatchObject({ startedAt: 2 * FRAME_MS, endedAt: null });
  });

  it('does not start on a lone frame, two in four, or motion every other frame (noise, rain, an insect)', () => {
    const tracker = new EventTracker({ endAfterSeconds: 10 });
    expect(feed(tracker, '...x....xx....x.x.x.x.x.x....x..x..x')).toEqual([]);
    expect(tracker.current).toBeNull();
  });

  it('ends after endAfterSeconds without motion, at its last motion frame', () => {
    const tracker = new EventTracker({ endAfterSeconds: 2 });
    const started = feed(tracker, 'xxxxx');
    expect(kinds(started)).toEqual(['start']);
    // Last motion at 800 ms: the frame at 2800 ms is the first 2 s later.
    const quiet = feed(tracker, '.'.repeat(9), 1000);
    expect(quiet).toEqual([]);
    const ended = tracker.feed(still(2800));
    expect(kinds(ended)).toEqual(['end']);
    expect(ended[0]!.event).toMatchObject({ startedAt: 0, endedAt: 800 });
    expect(tracker.current).toBeNull();
  });

  it('keeps one event through pauses shorter than endAfterSeconds', () => {
    const tracker = new EventTracker({ endAfterSeconds: 2 });
    // Motion at 0–400 ms, a 1.8 s pause, motion at 2200 ms: one event, ending 2 s after 2200 ms.
    const items = [...feed(tracker, 'xxx'), ...feed(tracker, '.'.repeat(8), 600), ...feed(tracker, 'x', 2200), ...feed(tracker, '.'.repeat(9), 2400)];
    expect(kinds(items)).toEqual(['start']);
    expect(tracker.feed(still(4200))[0]!.event).toMatchObject({ startedAt: 0, endedAt: 2200 });
  });

  it('starts a new event after one ended, again only after 3 of 4 frames', () => {
    const tracker = new EventTracker({ endAfterSeconds: 1 });
    const items = feed(tracker, 'xxx......x.xx.', 0);
    expect(kinds(items)).toEqual(['start', 'end', 'start']);
    expect(items[2]!.event.startedAt).toBe(9 * FRAME_MS);
  });

  it('ends an event cleanly when the camera goes down mid-event, at the last motion, once', () => {
    const tracker = new EventTracker({ endAfterSeconds: 10 });
    feed(tracker, 'xxxx..');
    const ended = tracker.end(5000);
    expect(kinds(ended)).toEqual(['end']);
    expect(ended[0]!.event.endedAt).toBe(3 * FRAME_MS);
    expect(tracker.end(6000)).toEqual([]);
    expect(feed(tracker, '..', 7000)).toEqual([]);
  });

  it('forgets a half-made start window when the camera goes down', () => {
    const tracker = new EventTracker({ endAfterSeconds: 10 });
    feed(tracker, 'xx');
    expect(tracker.end(400)).toEqual([]);
    expect(feed(tracker, 'x.', 5000)).toEqual([]);
  });

  it('ends an event by the clock when frames stop coming (tick)', () => {
    const tracker = new EventTracker({ endAfterSeconds: 3 });
    feed(tracker, 'xxx');
    expect(tracker.tick(3000)).toEqual([]);
    expect(tracker.tick(3400)[0]!.event.endedAt).toBe(400);
  });

  it('neither counts light-change frames for a start nor lets them break one', () => {
    const tracker = new EventTracker({ endAfterSeconds: 10 });
    expect(feed(tracker, 'LLLLLLLL')).toEqual([]);
    expect(kinds(feed(tracker, 'xLLxLx', 2000))).toEqual(['start']);
  });

  it('does not join frames across a stalled camera into one start window', () => {
    const tracker = new EventTracker({ endAfterSeconds: 10 });
    expect([...feed(tracker, 'xx'), ...feed(tracker, 'x', 10_000)]).toEqual([]);
  });

  it('keeps the zones touched, the peak and when it was, and reports each new zone and peak', () => {
    const tracker = new EventTracker({ endAfterSeconds: 1 });
    const scores = [0.02, 0.03, 0.02, 0.08, 0.081, 0.05, 0.2, 0.1];
    const zones = [[], ['path'], [], [], ['door', 'path'], [], [], []];
    const items = feed(tracker, 'xxxxxxxx......', 0, (i) => ({ score: scores[i]!, zones: zones[i]! }));
    expect(kinds(items)).toEqual(['start', 'update', 'update', 'update', 'end']);
    expect(items[0]!.event).toMatchObject({ zones: ['path'], peak: 0.03, peakAt: 200 });
    expect(items[1]!.event).toMatchObject({ peak: 0.08, peakAt: 600 });
    expect(items[2]!.event).toMatchObject({ zones: ['door', 'path'] });
    expect(items[4]!.event).toMatchObject({ startedAt: 0, endedAt: 1400, zones: ['door', 'path'], peak: 0.2, peakAt: 1200 });
  });

  it('adds up where the motion was into a heatmap scaled to its most', () => {
    const tracker = new EventTracker({ endAfterSeconds: 1 });
    const cells = (hot: number[]) => {
      const grid = new Uint8Array(HEATMAP.width * HEATMAP.height);
      for (const c of hot) grid[c] = 10;
      return grid;
    };
    const items = feed(tracker, 'xxx......', 0, (i) => ({ cells: cells(i === 0 ? [5] : [5, 6]) }));
    const heatmap = items.at(-1)!.event.heatmap;
    expect(heatmap).toHaveLength(HEATMAP.width * HEATMAP.height);
    expect(heatmap[5]).toBe(255);
    expect(heatmap[6]).toBe(170);
    expect(heatmap.reduce((sum, h) => sum + h, 0)).toBe(425);
  });

  it('hands out copies: changing one does not change the event', () => {
    const tracker = new EventTracker({ endAfterSeconds: 1 });
    const [start] = feed(tracker, 'xxx', 0, () => ({ zones: ['a'] }));
    start!.event.zones.push('b');
    start!.event.heatmap.fill(9);
    expect(tracker.current!.zones).toEqual(['a']);
    expect(tracker.current!.heatmap.every((h) => h === 0)).toBe(true);
  });
});
