import { describe, expect, it } from 'vitest';
import { MotionDetector } from '@/lib/motion/detector';
import { HEATMAP, MOTION_FRAME, type FrameVerdict, type MotionSettings, type Polygon } from '@/lib/motion/types';
import { at, H, Scene, texture, W, walker, type Look } from './synthetic-frames';

const settings = (fields: Partial<MotionSettings> = {}): MotionSettings => ({ sensitivity: 'medium', masks: [], zones: [], endAfterSeconds: 10, ...fields });

/** Runs the detector over frames made by `look(index)`, after `warmup` still frames. */
function run(look: (index: number) => Look, frames: number, options: { settings?: MotionSettings; scene?: Scene; warmup?: number } = {}): FrameVerdict[] {
  const scene = options.scene ?? new Scene();
  const detector = new MotionDetector(MOTION_FRAME, options.settings ?? settings());
  const warmup = options.warmup ?? 10;
  for (let i = 0; i < warmup; i++) detector.detect(scene.frame(look(-1)), at(i));
  return Array.from({ length: frames }, (_, i) => detector.detect(scene.frame(look(i)), at(warmup + i)));
}

const moving = (verdicts: FrameVerdict[]) => verdicts.filter((v) => v.motion).length;
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];

describe('MotionDetector', () => {
  it('sees a person-sized block walking across a noisy picture, in every frame it is fully in, and boxes it', () => {
    const verdicts = run((i) => ({ noise: 3, blocks: i >= 0 ? [walker(i)] : [] }), 40);
    // Fully inside from frame 3 (x ≥ 2) until it reaches the right edge (x + 10 ≤ 160, frame 40).
    const inside = verdicts.slice(3, 38);
    expect(inside.every((v) => v.motion)).toBe(true);
    for (const [k, v] of inside.entries()) {
      const x = walker(k + 3).x / W;
      expect(v.boxes).toHaveLength(1);
      expect(v.boxes[0]!.x).toBeGreaterThan(x - 0.03);
      expect(v.boxes[0]!.x + v.boxes[0]!.width).toBeLessThan(x + 10 / W + 0.03);
      expect(v.boxes[0]!.y).toBeCloseTo(40 / H, 1);
      expect(v.score).toBeGreaterThan(0.01);
    }
  });

  it('sees nothing in a still picture with day or night noise, frame after frame', () => {
    expect(moving(run(() => ({ noise: 2 }), 300))).toBe(0);
    expect(moving(run(() => ({ noise: 8, gain: 0.4, offset: 10 }), 300))).toBe(0);
  });

  it('sees the walker at night too, a dark noisy low-contrast picture', () => {
    const night = (i: number): Look => ({ noise: 6, gain: 0.35, offset: 8, blocks: i >= 0 ? [walker(i, { level: 200 })] : [] });
    const verdicts = run(night, 36);
    expect(moving(verdicts.slice(3, 36))).toBeGreaterThanOrEqual(30);
  });

  it('does not fire when the lights are switched on (gain and offset at once), and sees a walker right after', () => {
    const verdicts = run((i) => (i < 10 ? { noise: 2 } : { noise: 2, gain: 1.25, offset: 35, blocks: i >= 14 ? [walker(i - 14, { x0: 40 })] : [] }), 24);
    expect(moving(verdicts.slice(0, 14))).toBe(0);
    expect(verdicts[10]!.lightChange).toBe(true);
    expect(moving(verdicts.slice(15))).toBe(9);
  });

  it('does not fire during a 3 s exposure ramp, nor when the picture clips at white', () => {
    const ramp = (i: number): Look => ({ noise: 2, gain: 1 + 0.6 * Math.min(1, Math.max(0, i / 15)), offset: 20 * Math.min(1, Math.max(0, i / 15)) });
    expect(moving(run(ramp, 40))).toBe(0);
  });

  it('keeps seeing a walker, and only the walker, while the exposure ramps under it', () => {
    const ramp = (i: number): Look => (i < 0 ? { noise: 2 } : { noise: 2, gain: 1 + 0.6 * Math.min(1, i / 15), offset: 20 * Math.min(1, i / 15), blocks: [walker(i, { x0: 20 })] });
    const verdicts = run(ramp, 20);
    expect(moving(verdicts)).toBe(20);
    for (const [i, v] of verdicts.entries()) {
      const x = walker(i, { x0: 20 }).x / W;
      for (const box of v.boxes) expect([box.x, box.x + box.width]).toEqual([expect.closeTo(x, 1), expect.closeTo(x + 10 / W, 1)]);
    }
  });

  it('does not fire on a day/night switch: contrast up, noise up, in one frame', () => {
    const verdicts = run((i) => (i < 10 ? { noise: 2 } : { noise: 6, gain: 1.6, offset: -70 }), 40);
    expect(moving(verdicts)).toBe(0);
  });

  it('ignores motion under a mask, and still sees it elsewhere', () => {
    const masked = settings({ masks: [rect(0, 0.3, 1, 0.9)] });
    expect(moving(run((i) => ({ noise: 3, blocks: i >= 0 ? [walker(i)] : [] }), 40, { settings: masked }))).toBe(0);
    const partly = settings({ masks: [rect(0, 0, 0.5, 1)] });
    const verdicts = run((i) => ({ noise: 3, blocks: i >= 0 ? [walker(i)] : [] }), 40, { settings: partly });
    expect(moving(verdicts.slice(0, 18))).toBe(0);
    expect(moving(verdicts.slice(22, 38))).toBe(16);
  });

  it('names the zones the moving pixels touched, and only those', () => {
    const zoned = settings({ zones: [{ name: 'left', polygon: rect(0, 0, 0.3, 1) }, { name: 'right', polygon: rect(0.7, 0, 1, 1) }, { name: 'sky', polygon: rect(0, 0, 1, 0.2) }] });
    const verdicts = run((i) => ({ noise: 3, blocks: i >= 0 ? [walker(i)] : [] }), 40, { settings: zoned });
    expect(verdicts[6]!.zones).toEqual(['left']);
    expect(verdicts[20]!.motion).toBe(true);
    expect(verdicts[20]!.zones).toEqual([]);
    expect(verdicts[34]!.zones).toEqual(['right']);
  });

  it('finds a small faint block at high sensitivity and not at low', () => {
    const faint = (i: number): Look => ({ noise: 2, blocks: i >= 0 ? [{ x: 30 + i, y: 30, width: 5, height: 6, level: 95 }] : [] });
    const background = new Scene().frame({ noise: 0 });
    expect(background[33 * W + 32]! - 95).not.toBe(0);
    expect(moving(run(faint, 20, { settings: settings({ sensitivity: 'high' }) }))).toBeGreaterThanOrEqual(15);
    expect(moving(run(faint, 20, { settings: settings({ sensitivity: 'low' }) }))).toBe(0);
  });

  it('reports where the motion was on the heatmap grid', () => {
    const verdict = run((i) => ({ noise: 2, blocks: i >= 0 ? [walker(i)] : [] }), 21)[20]!;
    const cells = verdict.cells!;
    expect(cells).toHaveLength(HEATMAP.width * HEATMAP.height);
    const hot = [...cells.keys()].filter((c) => cells[c]! > 0);
    const xs = hot.map((c) => (c % HEATMAP.width) / HEATMAP.width);
    const ys = hot.map((c) => Math.floor(c / HEATMAP.width) / HEATMAP.height);
    const x = walker(20).x / W;
    expect(Math.min(...xs)).toBeGreaterThan(x - 0.07);
    expect(Math.max(...xs)).toBeLessThan(x + 10 / W + 0.03);
    expect(Math.min(...ys)).toBeGreaterThan(40 / H - 0.07);
    expect(Math.max(...ys)).toBeLessThan(70 / H);
  });

  it('starts afresh after a gap in the frames (a camera restarted, pointing elsewhere), without firing on the new picture', () => {
    const detector = new MotionDetector(MOTION_FRAME, settings());
    const before = new Scene(undefined, 1);
    const after = new Scene(texture(99), 2);
    for (let i = 0; i < 10; i++) detector.detect(before.frame(), at(i));
    const verdicts = Array.from({ length: 10 }, (_, i) => detector.detect(after.frame(), at(10) + 5000 + at(i)));
    expect(moving(verdicts)).toBe(0);
    detector.reset();
    expect(detector.detect(before.frame(), at(30) + 5000).motion).toBe(false);
    expect(detector.detect(before.frame({ blocks: [walker(8)] }), at(31) + 5000).motion).toBe(true);
  });

  it('refuses a frame of the wrong size rather than reading past it', () => {
    const detector = new MotionDetector(MOTION_FRAME, settings());
    expect(() => detector.detect(new Uint8Array(100), 0)).toThrow(/100 bytes, expected 160×90/);
  });
});
