import { MOTION_FRAME } from '@/lib/motion/types';
// A small deterministic generator: tests must not depend on Math.random.
import { prng as random } from '../../helpers/prng';

export { random };

/**
 * Grey 160×90 frames made in JS for the detector's unit tests: a fixed textured background,
 * Gaussian temporal noise, a block (a person, roughly) and a global gain and offset (lights,
 * exposure, a day/night switch). Seeded, so a failing test fails the same way every run.
 */
export const W = MOTION_FRAME.width;
export const H = MOTION_FRAME.height;

export type Block = { x: number; y: number; width: number; height: number; level: number };
export type Look = { noise?: number; gain?: number; offset?: number; blocks?: Block[] };


/** A textured scene: smooth shading, stripes and speckle, levels roughly 40–200. */
export function texture(seed = 1): Float32Array {
  const next = random(seed);
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      out[y * W + x] = 120 + 40 * Math.sin(x / 7) * Math.cos(y / 5) + 25 * Math.sin((x + 2 * y) / 13) + 20 * (next() - 0.5);
    }
  }
  return out;
}

export class Scene {
  private readonly noise: () => number;

  constructor(
    private readonly background: Float32Array = texture(),
    seed = 7,
  ) {
    const next = random(seed);
    // Box–Muller: camera noise is closer to Gaussian than to uniform, and its tails are what fire.
    this.noise = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }

  frame({ noise = 2, gain = 1, offset = 0, blocks = [] }: Look = {}): Uint8Array {
    const out = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let level = this.background[y * W + x]!;
        for (const b of blocks) if (x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height) level = b.level;
        const v = gain * level + offset + noise * this.noise();
        out[y * W + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
    return out;
  }
}

/** Frame times at 5 fps from 0. */
export const at = (index: number) => index * (1000 / MOTION_FRAME.fps);

/** A person-sized block walking left to right at `speed` pixels per frame, starting at `x0`. */
export const walker = (index: number, { x0 = -10, speed = 4, level = 30 } = {}): Block => ({ x: x0 + index * speed, y: 40, width: 10, height: 30, level });
