import path from 'node:path';

export type RecordingSettings = {
  /** Absolute: the recordings directory (`<camera>/<day>/<start>.mp4` under it). */
  dir: string;
  /** Below this much free space on its disk the oldest footage goes (and recording pauses if nothing can). */
  minFreeBytes: number;
  /** The same as a share of the disk, 0–100; 0 leaves it to minFreeBytes. */
  minFreePercent: number;
  /** The most all recordings may take; undefined for no limit but the disk's. */
  maxBytes: number | undefined;
  /** The length of a segment file (cut at the first keyframe after it). */
  segmentSeconds: number;
  /** Settings that were not understood, each naming its variable; the default is used for them. */
  problems: string[];
};

const GB = 1024 ** 3;
export const DEFAULT_SEGMENT_SECONDS = 60;
export const MIN_SEGMENT_SECONDS = 2;
/** Longer segments make retention coarse, and the index's look-back (LONGEST_SEGMENT_MS) assumes no more. */
export const MAX_SEGMENT_SECONDS = 3_600;

type Env = Readonly<Record<string, string | undefined>>;

/** Where recordings go and how much room they may take, from the environment. */
export function recordingSettingsFromEnv(env: Env = process.env): RecordingSettings {
  const problems: string[] = [];
  type Range = { min: number; max?: number; whole?: boolean; above?: boolean; fallbackText?: string };
  const number = (name: string, fallback: number, { min, max = Infinity, whole = false, above = false, fallbackText = String(fallback) }: Range) => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (Number.isFinite(value) && (above ? value > min : value >= min) && value <= max && (!whole || Number.isSafeInteger(value))) return value;
    const range = above ? `more than ${min}` : max === Infinity ? `${min} or more` : `from ${min} to ${max}`;
    problems.push(`${name}: must be a ${whole ? 'whole ' : ''}number, ${range} (got "${text}"); using ${fallbackText}`);
    return fallback;
  };
  const maxGb = number('CAMDASH_RECORDINGS_MAX_GB', NaN, { min: 0, above: true, fallbackText: 'no limit' });
  return {
    dir: path.resolve(/*turbopackIgnore: true*/ env.CAMDASH_RECORDINGS_DIR?.trim() || 'recordings'),
    minFreeBytes: Math.round(number('CAMDASH_MIN_FREE_GB', 1, { min: 0 }) * GB),
    minFreePercent: number('CAMDASH_MIN_FREE_PERCENT', 0, { min: 0, max: 100 }),
    maxBytes: Number.isNaN(maxGb) ? undefined : Math.round(maxGb * GB),
    segmentSeconds: number('CAMDASH_RECORD_SEGMENT_SECONDS', DEFAULT_SEGMENT_SECONDS, { min: MIN_SEGMENT_SECONDS, max: MAX_SEGMENT_SECONDS, whole: true }),
    problems,
  };
}
