import type { MotionSettings } from '../../lib/motion/types';
import { decodeGrey } from './decode';
import { evaluate, type Run } from './evaluate';
import { score, type SceneScore } from './metrics';
import { renderScene } from './render';
import { SCENES, type Scene } from './scenes';

export type SceneResult = { scene: Scene; frames: Uint8Array[]; run: Run; score: SceneScore };

/**
 * Renders (or takes from the cache), decodes and evaluates every scene, two at a time: rendering
 * and decoding are ffmpeg's work, one core each.
 */
export async function runScenes(ffmpeg: string, scenes: Scene[] = SCENES): Promise<SceneResult[]> {
  // The longest first, so the two queues end together.
  const queue = [...scenes].sort((a, b) => b.seconds - a.seconds);
  const results = new Map<Scene, SceneResult>();
  const worker = async () => {
    for (let scene = queue.shift(); scene; scene = queue.shift()) {
      const frames = await decodeGrey(ffmpeg, await renderScene(ffmpeg, scene), scene.seconds);
      const run = evaluate(frames, scene.settings);
      results.set(scene, { scene, frames, run, score: score(scene, run.events) });
    }
  };
  await Promise.all([worker(), worker()]);
  return scenes.map((scene) => results.get(scene)!);
}

/** Runs the evaluation again on frames already decoded, with other settings (another sensitivity). */
export function rescore(results: SceneResult[], settings: (scene: Scene) => MotionSettings): SceneResult[] {
  return results.map(({ scene, frames }) => {
    const run = evaluate(frames, settings(scene));
    return { scene, frames, run, score: score(scene, run.events) };
  });
}
