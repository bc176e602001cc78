import { z } from 'zod';
import type { MotionSettings } from '../motion/types';

/** The `motion` entry of a camera in cameras.json: `true`, or the detector's settings. */

export const DEFAULT_MOTION: MotionSettings = { sensitivity: 'medium', masks: [], zones: [], endAfterSeconds: 10 };

const fraction = z
  .number({ error: 'must be a number from 0 to 1 (a fraction of the picture)' })
  .min(0, 'must be from 0 to 1 (a fraction of the picture)')
  .max(1, 'must be from 0 to 1 (a fraction of the picture)');

const point = z.tuple([fraction, fraction], { error: 'must be a point [x, y]' });

const polygon = z
  .array(point, { error: 'must be a list of points [[x, y], …]' })
  .min(3, 'must have at least 3 points')
  .max(64, 'must have at most 64 points');

const zone = z.strictObject({
  name: z.string({ error: 'must be a name' }).trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'),
  polygon,
});

const settings = z
  .strictObject(
    {
      sensitivity: z.enum(['low', 'medium', 'high'], { error: 'must be "low", "medium" or "high"' }).default(DEFAULT_MOTION.sensitivity),
      masks: z.array(polygon, { error: 'must be a list of polygons' }).max(32, 'must have at most 32 masks').default([]),
      zones: z.array(zone, { error: 'must be a list of zones { name, polygon }' }).max(16, 'must have at most 16 zones').default([]),
      endAfterSeconds: z
        .number({ error: 'must be a number of seconds' })
        .min(1, 'must be from 1 to 3600 seconds')
        .max(3600, 'must be from 1 to 3600 seconds')
        .default(DEFAULT_MOTION.endAfterSeconds),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `has no field ${issue.keys.map((key) => `"${key}"`).join(', ')} (it takes "sensitivity", "masks", "zones", "endAfterSeconds")`
          : 'must be true, false or { "sensitivity", "masks", "zones", "endAfterSeconds" }',
    },
  )
  .superRefine((motion, ctx) => {
    const seen = new Map<string, number>();
    motion.zones.forEach((candidate, index) => {
      const first = seen.get(candidate.name);
      if (first === undefined) seen.set(candidate.name, index);
      else ctx.addIssue({ code: 'custom', path: ['zones', index, 'name'], message: `duplicate zone name, already used by zones[${first}]` });
    });
  });

/**
 * `true` is the defaults, `false` (or no entry) is off. Kept as one object schema behind the
 * shorthand so that a mistake inside it is reported at its own path (motion.zones[0].polygon).
 */
export const motionSchema = z.preprocess((value) => (value === true ? {} : value === false ? undefined : value), settings.optional());
