import { HEATMAP, type TrackedEvent } from '@/lib/motion/types';

/** A tracked event as the motion tracker hands it over; fields as given, the rest plausible. */
export function trackedEvent(fields: Partial<TrackedEvent> & { startedAt: number }): TrackedEvent {
  const heatmap = new Uint8Array(HEATMAP.width * HEATMAP.height);
  heatmap[0] = 255;
  return { endedAt: null, zones: [], peak: 0.1, peakAt: fields.startedAt, heatmap, ...fields };
}

/** A minimal JPEG: SOI, then bytes that say which picture it is, then EOI. */
export const jpegOf = (marker: number): Uint8Array => Uint8Array.of(0xff, 0xd8, marker, marker, 0xff, 0xd9);
