import type { FoundEvent } from './evaluate';
import type { Scene } from './scenes';

export type SceneScore = {
  events: number;
  /** Events that overlap a true interval in time. */
  truePositives: number;
  falseEvents: number;
  /** True intervals (people, or the whole unmasked-tree scene) that some event overlaps. */
  caught: number;
  truths: number;
  /** Per true interval caught: event start − true start, and announcement (the start item) − true start, in ms. */
  latencyMs: number[];
  announceMs: number[];
  hours: number;
};

/** Event-level scoring by time overlap: an event counts for every true interval it overlaps. */
export function score(scene: Scene, events: FoundEvent[]): SceneScore {
  const truths = (scene.motionThroughout ? [{ from: 0, to: scene.seconds }] : scene.truth).map((t) => ({ from: t.from * 1000, to: t.to * 1000 }));
  const overlaps = (e: FoundEvent, t: { from: number; to: number }) => e.startedAt <= t.to && e.endedAt >= t.from;
  const truePositives = events.filter((e) => truths.some((t) => overlaps(e, t))).length;
  const latencyMs: number[] = [];
  const announceMs: number[] = [];
  let caught = 0;
  for (const truth of truths) {
    const first = events.find((e) => overlaps(e, truth));
    if (!first) continue;
    caught++;
    latencyMs.push(first.startedAt - truth.from);
    announceMs.push(first.announcedAt - truth.from);
  }
  return { events: events.length, truePositives, falseEvents: events.length - truePositives, caught, truths: truths.length, latencyMs, announceMs, hours: scene.seconds / 3600 };
}

export const precision = (s: Pick<SceneScore, 'events' | 'truePositives'>) => (s.events === 0 ? 1 : s.truePositives / s.events);
export const recall = (s: Pick<SceneScore, 'caught' | 'truths'>) => (s.truths === 0 ? 1 : s.caught / s.truths);
