import { describe, expect, it } from 'vitest';
import { ToneCurve } from '@/lib/motion/tone-curve';
import { random } from './synthetic-frames';

/** A background spread over all levels, and a frame that is it seen through `light`. */
function pair(light: (v: number) => number, size = 14_400) {
  const next = random(3);
  const background = Float32Array.from({ length: size }, () => 10 + next() * 235);
  const frame = Uint8Array.from(background, (v) => Math.max(0, Math.min(255, Math.round(light(v)))));
  return { background, frame, active: new Uint8Array(size).fill(1) };
}

describe('ToneCurve', () => {
  it('is "no change" for an unchanged picture', () => {
    const { background, frame, active } = pair((v) => v);
    const curve = new ToneCurve();
    curve.fit(background, frame, active);
    expect(curve.change).toBeLessThan(0.6);
    for (const v of [20, 100, 200]) expect(curve.lut[v]).toBeCloseTo(v, 0);
  });

  it('follows lights switched on: gain and offset, clipped at white', () => {
    const light = (v: number) => 1.3 * v + 40;
    const { background, frame, active } = pair(light);
    const curve = new ToneCurve();
    curve.fit(background, frame, active);
    for (const v of [20, 60, 120, 150]) expect(Math.abs(curve.lut[v]! - light(v))).toBeLessThan(1.5);
    for (const v of [180, 220, 250]) expect(curve.lut[v]).toBeGreaterThan(250);
    expect(curve.change).toBeGreaterThan(40);
  });

  it('follows a curve no straight line fits (a gamma-like exposure change)', () => {
    const light = (v: number) => 255 * Math.pow(v / 255, 0.7);
    const { background, frame, active } = pair(light);
    const curve = new ToneCurve();
    curve.fit(background, frame, active);
    for (const v of [30, 90, 150, 210]) expect(Math.abs(curve.lut[v]! - light(v))).toBeLessThan(2.5);
  });

  it('is not bent by a person who is most of one sparse band of levels', () => {
    const next = random(5);
    // Mid-grey scene, a few very dark pixels, and a bright person covering most of them.
    const background = Float32Array.from({ length: 14_400 }, (_, i) => (i < 300 ? 20 + next() * 8 : 90 + next() * 120));
    const frame = Uint8Array.from(background, (v, i) => (i < 250 ? 200 : Math.round(v)));
    const curve = new ToneCurve();
    curve.fit(background, frame, new Uint8Array(14_400).fill(1));
    expect(curve.lut[24]).toBeLessThan(40);
    expect(curve.change).toBeLessThan(1.5);
  });

  it('only looks at active pixels: a masked flickering screen changes nothing', () => {
    const { background, frame, active } = pair((v) => v);
    for (let i = 0; i < 7000; i++) frame[i] = 255 - frame[i]!;
    active.fill(0, 0, 7000);
    const curve = new ToneCurve();
    curve.fit(background, frame, active);
    expect(curve.change).toBeLessThan(0.6);
  });
});
