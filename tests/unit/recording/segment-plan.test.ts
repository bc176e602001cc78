import { describe, expect, it } from 'vitest';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import type { MediaFragment } from '@/lib/fmp4/media-fragment';
import { SegmentPlan } from '@/lib/recording/segment-plan';

const TIMESCALE = 15_360;
const FRAME = TIMESCALE / 15;
const init = (codec = 'avc1.64001f'): InitSegment => ({ bytes: new Uint8Array(10), codec, mimeType: '', width: 1280, height: 720, timescale: TIMESCALE, trackId: 1, defaults: undefined });
const fragment = (index: number, keyframe: boolean, offset = 0): MediaFragment => ({
  bytes: new Uint8Array(100),
  sequenceNumber: index,
  trackId: 1,
  keyframe,
  decodeTime: offset + index * FRAME,
  sampleCount: 1,
  duration: FRAME,
});

/** A 15 fps camera with a keyframe every `gop` frames, arriving on time from `t0`. */
function feed(plan: SegmentPlan, frames: number, gop: number, t0 = 1_000_000) {
  return Array.from({ length: frames }, (_, index) => plan.take(fragment(index, index % gop === 0), t0 + (index * 1000) / 15));
}

describe('SegmentPlan', () => {
  it('records nothing before an init and a keyframe', () => {
    const plan = new SegmentPlan(10_000);
    expect(plan.take(fragment(0, true), 0).kind).toBe('skip');
    plan.newInit(init());
    expect(plan.take(fragment(1, false), 0).kind).toBe('skip');
    expect(plan.take(fragment(2, true), 0).kind).toBe('begin');
  });

  it('cuts at the first keyframe after the segment length, and the segments tile the time', () => {
    const plan = new SegmentPlan(10_000);
    plan.newInit(init());
    // 60 s at 15 fps, a keyframe every 4 s.
    const steps = feed(plan, 900, 60);
    const cuts = steps.filter((step) => step.kind === 'cut');
    expect(cuts).toHaveLength(4);
    for (const cut of cuts) {
      if (cut.kind !== 'cut') continue;
      // 12 s: the first keyframe at or after 10 s.
      expect(cut.ended.endedAt - cut.ended.startedAt).toBeCloseTo(12_000, 0);
      expect(cut.next!.startedAt).toBeCloseTo(cut.ended.endedAt, 0);
    }
  });

  it('moves a segment back to when its keyframe should have come, when the frames after it show it came late', () => {
    const plan = new SegmentPlan(4_000);
    plan.newInit(init());
    const t0 = 1_000_000;
    // A connection's start-up: the keyframe and the frames of its first 400 ms come together, late; then on time.
    const steps = Array.from({ length: 61 }, (_, index) => plan.take(fragment(index, index % 15 === 0), Math.max(t0 + 400, t0 + (index * 1000) / 15)));
    const cut = steps[60]!;
    expect(cut.kind).toBe('cut');
    if (cut.kind !== 'cut') return;
    expect(cut.ended.startedAt).toBeCloseTo(t0, 0);
    expect(cut.ended.endedAt).toBeCloseTo(t0 + 4_000, 0);
    // The next segment meets it: no overlap for playback to skip.
    expect(cut.next!.startedAt).toBeCloseTo(cut.ended.endedAt, 0);
  });

  it('ends the open segment at a new init, and begins again only at a keyframe', () => {
    const plan = new SegmentPlan(10_000);
    plan.newInit(init());
    feed(plan, 20, 60);
    const ended = plan.newInit(init('hvc1.1.6.L93.B0'));
    expect(ended?.endedAt).toBeCloseTo(1_000_000 + (20 * 1000) / 15, 0);
    expect(plan.take(fragment(0, false), 2_000_000).kind).toBe('skip');
    const begun = plan.take(fragment(1, true), 2_000_000);
    expect(begun.kind === 'begin' && begun.segment.init.codec).toBe('hvc1.1.6.L93.B0');
  });

  it('re-anchors when the camera restarts its timestamps or its clock strays from the server', () => {
    const plan = new SegmentPlan(60_000);
    plan.newInit(init());
    feed(plan, 30, 15);
    // Timestamps back to 0 on a keyframe: a new segment, anchored to its arrival.
    const restarted = plan.take(fragment(0, true), 1_000_000 + 2_100);
    expect(restarted.kind).toBe('cut');
    expect(restarted.kind === 'cut' && restarted.next?.startedAt).toBe(1_000_000 + 2_100);
    // Arriving 5 s later than its timestamps say (a stalled camera resumes) on a non-keyframe:
    // the segment ends and the next waits for a keyframe.
    const late = plan.take(fragment(1, false), 1_000_000 + 2_100 + 5_000);
    expect(late.kind === 'cut' && late.next).toBeUndefined();
    expect(plan.open).toBeUndefined();
  });

  it('begins no segment while it may not, but goes on with an open one', () => {
    const plan = new SegmentPlan(10_000);
    plan.newInit(init());
    expect(plan.take(fragment(0, true), 1_000_000, false).kind).toBe('skip');
    expect(plan.take(fragment(15, true), 1_000_000 + 1000, true).kind).toBe('begin');
    expect(plan.take(fragment(16, false), 1_000_000 + 1000 + 67, false).kind).toBe('append');
  });
});
