import { describe, expect, it } from 'vitest';
import { precision, recall, score } from '../../motion-scenes/metrics';
import type { Scene } from '../../motion-scenes/scenes';

const scene = (fields: Partial<Scene>): Scene => ({ name: 's', seconds: 60, graph: '', truth: [], settings: { sensitivity: 'medium', masks: [], zones: [], endAfterSeconds: 10 }, ...fields });
const event = (startedAt: number, endedAt: number, announcedAt = startedAt + 400) => ({ startedAt, endedAt, announcedAt });

describe('scene scoring (the evaluation harness)', () => {
  it('counts an event overlapping a true interval as caught, with its start and announcement latency', () => {
    const s = score(scene({ truth: [{ from: 5, to: 10 }, { from: 30, to: 35 }] }), [event(5200, 10_400), event(20_000, 21_000)]);
    expect(s).toMatchObject({ events: 2, truePositives: 1, falseEvents: 1, caught: 1, truths: 2, latencyMs: [200], announceMs: [600] });
    expect(precision(s)).toBe(0.5);
    expect(recall(s)).toBe(0.5);
  });

  it('takes the whole scene as the truth when motion is throughout, and counts false events per hour on quiet scenes', () => {
    expect(score(scene({ motionThroughout: true }), [event(200, 59_000)]).caught).toBe(1);
    const quiet = score(scene({ seconds: 600 }), [event(1000, 2000)]);
    expect(quiet.falseEvents / quiet.hours).toBe(6);
    expect(recall(quiet)).toBe(1);
  });
});
