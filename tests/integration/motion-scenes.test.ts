import { beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { precision, recall } from '../motion-scenes/metrics';
import { runScenes, type SceneResult } from '../motion-scenes/run-scenes';
import { SCENES } from '../motion-scenes/scenes';

/**
 * The motion detector and event tracker against the scene set of tests/motion-scenes, rendered
 * and decoded by real ffmpeg with the server's own motion arguments: the targets.
 * `npm run bench:motion` prints the same figures as a table.
 */
let results: SceneResult[];
const result = (name: string) => results.find((r) => r.scene.name === name)!;

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  results = await runScenes(ffmpeg.path);
}, 150_000);

describe('motion on the scene set', () => {
  const walkers = SCENES.filter((s) => s.truth.length > 0).map((s) => s.name);
  const quiet = SCENES.filter((s) => s.truth.length === 0 && !s.motionThroughout).map((s) => s.name);

  it.each(walkers)('%s: every walker caught, each event starting within 1 s of the truth, no false event', (name) => {
    const { score } = result(name);
    expect(recall(score)).toBe(1);
    expect(precision(score)).toBe(1);
    for (const latency of score.latencyMs) expect(Math.abs(latency)).toBeLessThanOrEqual(1000);
  });

  it.each(quiet)('%s: no event', (name) => {
    expect(result(name).run.events).toEqual([]);
  });

  it('swaying tree, unmasked: events, since nothing says the tree is not of interest', () => {
    expect(result('swaying tree, unmasked').score.caught).toBe(1);
  });

  it('at most 1 false event per camera-hour in the noisy night', () => {
    const night = results.filter((r) => r.scene.night);
    const falseEvents = night.reduce((n, r) => n + r.score.falseEvents, 0);
    const hours = night.reduce((h, r) => h + r.score.hours, 0);
    expect(hours).toBeGreaterThan(10 / 60);
    expect(falseEvents / hours).toBeLessThanOrEqual(1);
  });

  it('decodes the frames the server would give the detector: 5 a second, for the whole scene', () => {
    for (const { scene, frames } of results) expect(Math.abs(frames.length - scene.seconds * 5)).toBeLessThanOrEqual(1);
  });
});
