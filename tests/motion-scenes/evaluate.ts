import { performance } from 'node:perf_hooks';
import { MotionDetector } from '../../lib/motion/detector';
import { EventTracker } from '../../lib/motion/event-tracker';
import { MOTION_FRAME, type MotionSettings } from '../../lib/motion/types';

/** An event as the tracker made it, with when it was announced (the frame that started it). */
export type FoundEvent = { startedAt: number; endedAt: number; announcedAt: number };

export type Run = { events: FoundEvent[]; motionFrames: number; lightChangeFrames: number; detectMs: number[] };

/**
 * Runs the detector and the event tracker over a scene's decoded frames, stamped from their index
 * at 5 fps (ms from the scene's start), as fast as they go: ten minutes take a second or two.
 * The camera "goes down" after the last frame, which ends an event still going on.
 */
export function evaluate(frames: Uint8Array[], settings: MotionSettings): Run {
  const detector = new MotionDetector(MOTION_FRAME, settings);
  const tracker = new EventTracker({ endAfterSeconds: settings.endAfterSeconds });
  const events: FoundEvent[] = [];
  const announced = new Map<number, number>();
  const detectMs: number[] = [];
  let motionFrames = 0;
  let lightChangeFrames = 0;
  let at = 0;
  const collect = (items: ReturnType<EventTracker['feed']>, now: number) => {
    for (const item of items) {
      if (item.kind === 'start') announced.set(item.event.startedAt, now);
      if (item.kind === 'end') events.push({ startedAt: item.event.startedAt, endedAt: item.event.endedAt!, announcedAt: announced.get(item.event.startedAt)! });
    }
  };
  for (const [i, frame] of frames.entries()) {
    at = (i * 1000) / MOTION_FRAME.fps;
    const started = performance.now();
    const verdict = detector.detect(frame, at);
    detectMs.push(performance.now() - started);
    if (verdict.motion) motionFrames++;
    if (verdict.lightChange) lightChangeFrames++;
    collect(tracker.feed(verdict), at);
  }
  collect(tracker.end(at), at);
  return { events, motionFrames, lightChangeFrames, detectMs };
}
