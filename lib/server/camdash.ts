import { spawn } from 'node:child_process';
import { CaptureRegistry } from '../capture/registry';
import type { CaptureProcess } from '../capture/process';
import { camerasFilePath, loadCamerasFile } from '../config/load';
import type { CameraConfig } from '../config/schema';
import { locateFfmpeg, type FfmpegLocation } from '../ffmpeg/locate';
import { log } from '../log';
import { publicCamera, type PublicCamera } from '../cameras/public-camera';
import { installShutdownHandlers } from './shutdown';
import { timingFromEnv } from './settings';

export type ConfigState =
  | { ok: true; file: string; cameras: CameraConfig[]; loadedAt: number }
  | { ok: false; file: string; cameras: CameraConfig[]; errors: string[] };

/** The server's one instance: configuration, ffmpeg, and the capture registry. */
export type Camdash = {
  config: ConfigState;
  ffmpeg: FfmpegLocation;
  registry: CaptureRegistry;
  cameras(): PublicCamera[];
  camera(id: string): PublicCamera | undefined;
};

// Next loads route handlers, pages and instrumentation as separate module instances (and dev
// reloads them), so one per process means one on globalThis.
const GLOBAL_KEY = Symbol.for('camdash.instance');
type GlobalWithCamdash = typeof globalThis & { [GLOBAL_KEY]?: Promise<Camdash> };

export function getCamdash(): Promise<Camdash> {
  const holder = globalThis as GlobalWithCamdash;
  holder[GLOBAL_KEY] ??= createCamdash();
  return holder[GLOBAL_KEY];
}

async function createCamdash(): Promise<Camdash> {
  const ffmpeg = await locateFfmpeg();
  if (ffmpeg.ok) log('info', `ffmpeg: ${ffmpeg.path} (from ${ffmpeg.origin}), ${ffmpeg.version}`);
  else log('error', ffmpeg.message);

  const file = camerasFilePath();
  const loaded = await loadCamerasFile(file);
  const config: ConfigState = loaded.ok
    ? { ok: true, file, cameras: loaded.config.cameras, loadedAt: Date.now() }
    : { ok: false, file, cameras: [], errors: loaded.errors };
  if (config.ok) log('info', `cameras: ${config.cameras.length} from ${file}`);
  else log('error', `cameras: ${file} is invalid, no camera runs until it is fixed:\n  ${config.errors.join('\n  ')}`);

  const registry = new CaptureRegistry({
    spawn: (command, args) => spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath: ffmpeg.ok ? ffmpeg.path : undefined,
    missingFfmpegReason: ffmpeg.ok ? undefined : 'ffmpeg not found on the server (see the server log)',
    timing: timingFromEnv(),
    log: (message, fields) => log('info', message, fields),
  });
  registry.setCameras(config.cameras);
  installShutdownHandlers(registry);

  const byId = new Map(config.cameras.map((camera) => [camera.id, camera]));
  return {
    config,
    ffmpeg,
    registry,
    cameras: () => config.cameras.map((camera) => publicCamera(camera, registry.snapshot(camera.id), Date.now())),
    camera: (id) => {
      const camera = byId.get(id);
      return camera && publicCamera(camera, registry.snapshot(id), Date.now());
    },
  };
}
