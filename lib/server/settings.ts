import { DEFAULT_TIMING, type CaptureTiming } from '../capture/capture';

const MIN_STALL_MS = 5_000;

/** Capture timing from the environment, for operators and for tests that cannot wait 5 s. */
export function timingFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): CaptureTiming {
  return {
    ...DEFAULT_TIMING,
    graceMs: milliseconds(env.CAMDASH_GRACE_MS, DEFAULT_TIMING.graceMs),
    // ffmpeg spends a few seconds probing an RTSP stream before its first frame; a shorter stall
    // limit would kill every start before it could deliver.
    stallMs: Math.max(MIN_STALL_MS, milliseconds(env.CAMDASH_STALL_MS, DEFAULT_TIMING.stallMs)),
  };
}

function milliseconds(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value && Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}
