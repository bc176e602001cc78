import { z } from 'zod';

/** The `record` entry of a camera in cameras.json. */

export type RecordMode = 'continuous' | 'motion' | 'off';

export type RecordSettings = {
  mode: RecordMode;
  /** Footage older than this goes (free space may take it sooner). */
  days: number;
};

export const DEFAULT_RECORD_DAYS = 7;

const settings = z.strictObject(
  {
    mode: z.enum(['continuous', 'motion', 'off'], { error: 'must be "continuous", "motion" or "off"' }),
    days: z
      .number({ error: 'must be a number of days' })
      .positive('must be more than 0 days')
      .max(3650, 'must be at most 3650 days')
      .default(DEFAULT_RECORD_DAYS),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has no field ${issue.keys.map((key) => `"${key}"`).join(', ')} (it takes "mode" and "days")`
        : 'must be { "mode": "continuous" | "motion" | "off", "days": 7 }',
  },
);

/** Absent and `"mode": "off"` both mean the camera is not recorded; `off` keeps `days` for later. */
export const recordSchema = settings.optional();
