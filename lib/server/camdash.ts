import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { CaptureRegistry } from '../capture/registry';
import type { CaptureProcess } from '../capture/process';
import { describeChange, initialConfigState, nextConfigState, type ConfigChange, type ConfigState } from '../config/config-state';
import { camerasFilePath, fileLabel } from '../config/load';
import { parseCamerasText, type ConfigResult } from '../config/parse';
import { watchConfigFile } from '../config/watch-file';
import { locateFfmpeg, type FfmpegLocation } from '../ffmpeg/locate';
import { log } from '../log';
import { publicCamera, type PublicCamera } from '../cameras/public-camera';
import { getEventStore } from '../events/event-store-instance';
import type { EventStore } from '../events/event-store';
import { WorkerDetection } from '../motion-watch/detection';
import { MotionHub } from '../motion-watch/motion-hub';
import { MotionRecorder } from '../motion-watch/motion-recorder';
import { recordingSettingsFromEnv } from '../recording/recording-settings';
import { startRecordingService, type RecordingService } from '../recording/recording-service';
import { getSegmentIndex } from '../recording/segment-index-instance';
import type { MotionSpan } from '../recording/retention';
import { installShutdownHandlers } from './shutdown';
import { timingFromEnv } from './settings';

export type { ConfigState };

/** The server's one instance: configuration, ffmpeg, and the capture registry. */
export type Camdash = {
  /** The configuration in force (the last good one) and the file's current errors. */
  readonly config: ConfigState;
  ffmpeg: FfmpegLocation;
  registry: CaptureRegistry;
  /** Motion detection: the live state (for the motion stream), the recorder of events, the worker. */
  motion: { hub: MotionHub; recorder: MotionRecorder; detection: WorkerDetection };
  /** Recording's disk guard and retention; undefined when the index could not be opened (logged). */
  recording: RecordingService | undefined;
  cameras(): PublicCamera[];
  camera(id: string): PublicCamera | undefined;
  /** Reads cameras.json again and applies it if it changed; what changed, if it was valid. */
  reload(): Promise<ConfigChange | undefined>;
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

  const events = eventStoreOrNone();
  const hub = new MotionHub();
  const recorder = new MotionRecorder(hub, events, (message, camera) => log('error', message, { camera }));
  const detection = new WorkerDetection((error) => log('error', error.message));
  let config = initialConfigState(camerasFilePath());
  let registryOrNone: CaptureRegistry | undefined;
  // Before any recorder writes: reconciling gives a crash's open segment its real end.
  const recording = await startRecordingService({
    settings: recordingSettingsFromEnv(),
    openIndex: getSegmentIndex,
    cameras: () => config.cameras.flatMap((camera) => (camera.enabled && camera.record && camera.record.mode !== 'off' ? [{ id: camera.id, record: camera.record }] : [])),
    // Nothing is written before the registry exists.
    writing: () => registryOrNone?.recordingPaths() ?? new Set<string>(),
    motionEvents: (camera, from, to) => motionSpans(events, camera, from, to),
    log: (level, message) => log(level, message),
  });
  const registry = new CaptureRegistry({
    // stdin too: an MJPEG transcoder reads the camera's video from it (ffmpeg on a camera has -nostdin).
    spawn: (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath: ffmpeg.ok ? ffmpeg.path : undefined,
    missingFfmpegReason: ffmpeg.ok ? undefined : 'ffmpeg not found on the server (see the server log)',
    timing: timingFromEnv(),
    log: (message, fields) => log('info', message, fields),
  }, { detection, listener: recorder }, recording?.recorderDeps);
  registryOrNone = registry;

  const file = camerasFilePath();
  const label = fileLabel(file);
  let byId = new Map<string, ConfigState['cameras'][number]>();
  let lastText: string | null = null; // null: never read

  // One read-and-apply at a time: a burst of saves must not apply an older text after a newer one.
  let applying: Promise<ConfigChange | undefined> = Promise.resolve(undefined);
  const applyNow = async (): Promise<ConfigChange | undefined> => {
    const read = await readFile(file, 'utf8').then(
      (text) => ({ text }),
      (error: NodeJS.ErrnoException) => ({
        problem: error.code === 'ENOENT' ? 'file not found (set CAMERAS_FILE to use another file)' : `cannot be read (${error.code ?? 'error'})`,
      }),
    );
    // Editors save in bursts, and a save of the same text is no change: only a new text is applied.
    const seen = 'text' in read ? read.text : `\0${read.problem}`;
    if (seen === lastText) return undefined;
    const firstRead = lastText === null;
    lastText = seen;
    const result: ConfigResult = 'text' in read ? parseCamerasText(read.text, label, process.env) : { ok: false, errors: [`${label}: ${read.problem}`] };
    const { state, change } = nextConfigState(config, result, Date.now());
    config = state;
    if (!change) {
      const kept = config.loadedAt === undefined ? 'no camera runs until it is fixed' : 'the last good configuration keeps running';
      log('error', `cameras: ${label} is invalid, ${kept}: ${config.errors.join('; ')}`);
      return undefined;
    }
    byId = new Map(config.cameras.map((camera) => [camera.id, camera]));
    registry.setCameras(config.cameras);
    log('info', firstRead ? `cameras: ${config.cameras.length} from ${label}` : `cameras: reloaded ${label}: ${describeChange(change)}`);
    return change;
  };
  const reload = () => {
    applying = applying.then(applyNow, applyNow);
    return applying;
  };

  // Watching starts before the first read, so that a save between the two is not missed.
  const watch = watchConfigFile(file, () => void reload());
  await reload();
  installShutdownHandlers(registry, () => {
    watch.close();
    recording?.stop();
  });

  return {
    get config() {
      return config;
    },
    ffmpeg,
    registry,
    motion: { hub, recorder, detection },
    recording,
    cameras: () => config.cameras.map((camera) => publicCamera(camera, registry.snapshot(camera.id), Date.now(), registry.motionSnapshot(camera.id), registry.recordingStatus(camera.id))),
    camera: (id) => {
      const camera = byId.get(id);
      return camera && publicCamera(camera, registry.snapshot(id), Date.now(), registry.motionSnapshot(id), registry.recordingStatus(id));
    },
    reload,
  };
}

/**
 * The event store, opened when the first event needs it. One that cannot be opened (a read-only
 * data directory) costs the events, not the cameras: said once per new problem, tried again later.
 */
function eventStoreOrNone(): () => EventStore | undefined {
  let lastProblem: string | undefined;
  return () => {
    try {
      const store = getEventStore();
      lastProblem = undefined;
      return store;
    } catch (error) {
      const problem = (error as Error).message;
      if (problem !== lastProblem) log('error', `events: not saved: ${problem}`);
      lastProblem = problem;
      return undefined;
    }
  };
}

/** Motion events overlapping [from, to], for retention of cameras that record around motion. */
function motionSpans(events: () => EventStore | undefined, camera: string, from: number, to: number): MotionSpan[] {
  const store = events();
  // Without the events, no footage counts as "without motion": retention keeps it.
  if (!store) return [{ start: from, end: to }];
  return store.list({ camera, from, to, limit: 10_000 }).map((event) => ({ start: event.startedAt, end: event.endedAt }));
}
