import { describe, expect, it } from 'vitest';
import { FrameRateMeter } from '@/lib/capture/frame-rate-meter';

describe('frame rate meter', () => {
  it('measures the rate of recent frames, and falls to 0 when they stop', () => {
    const meter = new FrameRateMeter(5_000, 2_000);
    for (let t = 0; t <= 3_000; t += 100) meter.record(t);
    expect(meter.rate(3_050)).toBe(10);
    expect(meter.rate(5_001)).toBe(0);
    expect(new FrameRateMeter().rate(0)).toBe(0);
  });
});
