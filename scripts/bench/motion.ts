/**
 * npm run bench:motion — the motion detector measured on the scene set of tests/motion-scenes
 * (rendered by ffmpeg once, cached under the temporary directory, decoded with the server's own
 * motion arguments): event-level precision and recall by time overlap, start latency, false events
 * per camera-hour, per scene and per sensitivity; and the detector's time per frame in this thread
 * and in the worker thread the server uses. Bounded: every ffmpeg has a timeout, the worker pass
 * a deadline.
 */
import { performance } from 'node:perf_hooks';
import { locateFfmpeg } from '../../lib/ffmpeg/locate';
import { MotionWorker } from '../../lib/motion/motion-worker';
import type { Sensitivity } from '../../lib/motion/types';
import { precision, recall, type SceneScore } from '../../tests/motion-scenes/metrics';
import { rescore, runScenes, type SceneResult } from '../../tests/motion-scenes/run-scenes';
import { STRESS_SCENES } from '../../tests/motion-scenes/scenes';
import { fixed } from './table';
import { benchMotionCameras } from './motion-cameras';

const WORKER_DEADLINE_MS = 120_000;

async function main(): Promise<void> {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  const started = performance.now();
  const results = await runScenes(ffmpeg.path);
  console.log(`scenes rendered (or cached) and decoded in ${fixed((performance.now() - started) / 1000)} s (${ffmpeg.origin}, ${ffmpeg.version})\n`);

  printTable(
    ['scene', 'seconds', 'truths', 'events', 'false', 'precision', 'recall', 'start − truth (ms)', 'announced − truth (ms)', 'false/cam-hour', 'motion frames', 'light frames'],
    results.map(({ scene, score, run }) => [
      scene.name,
      String(scene.seconds),
      String(score.truths),
      String(score.events),
      String(score.falseEvents),
      fixed(precision(score), 2),
      fixed(recall(score), 2),
      list(score.latencyMs),
      list(score.announceMs),
      fixed(score.falseEvents / score.hours, 1),
      `${run.motionFrames}/${run.detectMs.length}`,
      String(run.lightChangeFrames),
    ]),
  );

  console.log('\nby sensitivity (scene masks kept; the medium row is the table above):');
  const rows: string[][] = [];
  for (const sensitivity of ['low', 'medium', 'high'] as Sensitivity[]) {
    const scored = sensitivity === 'medium' ? results : rescore(results, (scene) => ({ ...scene.settings, sensitivity }));
    rows.push([sensitivity, ...summary(scored)]);
  }
  printTable(['sensitivity', 'walkers caught', 'precision', 'worst |start − truth| (ms)', 'light/mask/empty events', 'unmasked tree caught', 'night false/cam-hour'], rows);

  console.log('\nbeyond the targets (not in the test): noisier nights, and night walkers in clothes closer to the lawn:');
  const stress = await runScenes(ffmpeg.path, STRESS_SCENES);
  const stressRows: string[][] = [];
  for (const sensitivity of ['low', 'medium', 'high'] as Sensitivity[]) {
    for (const { scene, score } of rescore(stress, (scene) => ({ ...scene.settings, sensitivity }))) {
      stressRows.push([scene.name, sensitivity, `${score.caught}/${score.truths}`, String(score.falseEvents), list(score.latencyMs), fixed(score.falseEvents / score.hours, 1)]);
    }
  }
  printTable(['scene', 'sensitivity', 'walkers caught', 'false events', 'start − truth (ms)', 'false/cam-hour'], stressRows);

  // Timed again now that no ffmpeg runs beside it (the first pass shared the cores with two decoders).
  const inThread = rescore(results, (scene) => scene.settings).flatMap((r) => r.run.detectMs);
  const worker = await timeInWorker(results);
  console.log('\ndetector time per 160×90 frame (target ≤ 0.5 ms):');
  printTable(
    ['where', 'frames', 'mean ms', 'p99 ms', 'max ms'],
    [
      ['this thread', String(inThread.length), ...stats(inThread)],
      ['worker thread (detect only)', String(worker.detect.length), ...stats(worker.detect)],
      ['worker round trip (frame() → verdict)', String(worker.roundTrip.length), ...stats(worker.roundTrip)],
    ],
  );
  const mean = stats(worker.detect)[0];
  console.log(`\n16 cameras at 5 fps: ${fixed(16 * 5 * Number(mean) / 10, 2)} % of one core in the worker`);

  // The whole server, not the detector alone (BENCH_MOTION_SERVER=0 skips it: it needs a build).
  if (process.env.BENCH_MOTION_SERVER === '0') return;
  console.log('\nthe server watching cameras for motion, nobody looking (scripts/bench/motion-cameras.ts):');
  for (const figure of (await benchMotionCameras()).lines) console.log(figure);
}

function summary(results: SceneResult[]): string[] {
  const walkers = results.filter((r) => r.scene.truth.length > 0);
  const sum = (rs: SceneResult[], key: keyof SceneScore) => rs.reduce((n, r) => n + (r.score[key] as number), 0);
  const quiet = results.filter((r) => r.scene.truth.length === 0 && !r.scene.motionThroughout);
  const night = results.filter((r) => r.scene.night);
  const tree = results.find((r) => r.scene.motionThroughout)!;
  const worst = Math.max(0, ...walkers.flatMap((r) => r.score.latencyMs.map(Math.abs)));
  return [
    `${sum(walkers, 'caught')}/${sum(walkers, 'truths')}`,
    fixed(precision({ events: sum(walkers, 'events'), truePositives: sum(walkers, 'truePositives') }), 2),
    String(worst),
    String(sum(quiet, 'events')),
    tree.score.caught ? 'yes' : 'no',
    fixed(sum(night, 'falseEvents') / sum(night, 'hours'), 1),
  ];
}

/** Every frame of the scenes through one MotionWorker, one camera per scene, two frames in flight each, as the server runs it. */
async function timeInWorker(results: SceneResult[]): Promise<{ detect: number[]; roundTrip: number[] }> {
  const roundTrip: number[] = [];
  const detect: number[] = [];
  const sentAt = new Map<string, number>();
  const next = new Map<string, number>();
  let pending = results.length;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const send = (id: string) => {
    const i = next.get(id)!;
    const frames = results[Number(id)]!.frames;
    if (i >= frames.length) {
      if (--pending === 0) finish();
      return;
    }
    next.set(id, i + 1);
    sentAt.set(`${id}/${i * 200}`, performance.now());
    worker.frame(id, frames[i]!, i * 200);
  };
  const worker = new MotionWorker({
    maxInFlight: 2,
    onVerdict: (id, verdict, detectMs) => {
      detect.push(detectMs);
      roundTrip.push(performance.now() - sentAt.get(`${id}/${verdict.at}`)!);
      send(id);
    },
    onError: (error) => console.error(error.message),
  });
  results.forEach((r, i) => {
    worker.configure(String(i), r.scene.settings);
    next.set(String(i), 0);
  });
  for (const id of next.keys()) send(id);
  const deadline = setTimeout(() => finish(), WORKER_DEADLINE_MS);
  await done;
  clearTimeout(deadline);
  await worker.close();
  return { detect, roundTrip };
}

function stats(values: number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return [fixed(mean, 3), fixed(sorted[Math.floor(sorted.length * 0.99)] ?? NaN, 3), fixed(sorted[sorted.length - 1] ?? NaN, 3)];
}

const list = (values: number[]) => (values.length ? values.join(', ') : '—');

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
