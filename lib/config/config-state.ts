import type { ConfigResult } from './parse';
import type { CameraConfig } from './schema';

/**
 * The configuration in force, and what is wrong with the file now. A bad edit changes only
 * `errors`: the cameras of the last good version keep running until the file is fixed.
 */
export type ConfigState = {
  file: string;
  /** The last good version's cameras ([] if the file has never been good). */
  cameras: CameraConfig[];
  /** What is wrong with the file as it is now; empty when it is good. */
  errors: string[];
  /** When the cameras in force were read; undefined if the file has never been good. */
  loadedAt: number | undefined;
};

export type ConfigChange = { added: string[]; removed: string[]; changed: string[] };

export function initialConfigState(file: string): ConfigState {
  return { file, cameras: [], errors: [], loadedAt: undefined };
}

/** Applies a read of the file. Pure: the caller starts and stops cameras from `change`. */
export function nextConfigState(previous: ConfigState, result: ConfigResult, now: number): { state: ConfigState; change: ConfigChange | undefined } {
  if (!result.ok) return { state: { ...previous, errors: result.errors }, change: undefined };
  const cameras = result.config.cameras;
  return { state: { file: previous.file, cameras, errors: [], loadedAt: now }, change: diffCameras(previous.cameras, cameras) };
}

export function diffCameras(before: readonly CameraConfig[], after: readonly CameraConfig[]): ConfigChange {
  const old = new Map(before.map((camera) => [camera.id, JSON.stringify(camera)]));
  const next = new Map(after.map((camera) => [camera.id, JSON.stringify(camera)]));
  return {
    added: [...next.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !next.has(id)),
    changed: [...next].filter(([id, entry]) => old.has(id) && old.get(id) !== entry).map(([id]) => id),
  };
}

export function describeChange(change: ConfigChange): string {
  const parts = [
    ...change.added.map((id) => `+${id}`),
    ...change.removed.map((id) => `-${id}`),
    ...change.changed.map((id) => `~${id}`),
  ];
  return parts.length > 0 ? parts.join(' ') : 'no camera changed';
}
