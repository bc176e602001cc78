import type { Sensitivity } from './types';

/** What a sensitivity means to the detector. Chosen on the scenes of tests/motion-scenes (see README). */
export type Thresholds = {
  /** A cell (2×2 pixels of the 160×90 picture) changed when its mean differs by this many grey levels… */
  minDifference: number;
  /** …and by this many times the picture's noise (measured every frame), whichever is more. */
  noiseFactor: number;
  /** Smallest moving blob that counts, as a share of the picture: smaller ones are noise, rain, insects. */
  minBlobShare: number;
};

export const THRESHOLDS: Record<Sensitivity, Thresholds> = {
  low: { minDifference: 16, noiseFactor: 5, minBlobShare: 0.006 },
  medium: { minDifference: 11, noiseFactor: 4, minBlobShare: 0.003 },
  high: { minDifference: 7, noiseFactor: 3.5, minBlobShare: 0.0012 },
};
