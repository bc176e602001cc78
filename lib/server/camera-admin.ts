import { spawn } from 'node:child_process';
import { probeSource, type ProbeResult } from '../capture/probe';
import type { CaptureProcess } from '../capture/process';
import { CamerasFileEditor } from '../config/cameras-file-editor';
import { cameraSchema } from '../config/schema';
import { entryFromForm, type CameraForm, type RawCameraEntry } from '../config/camera-form';
import { substituteEnvVars } from '../config/env-vars';
import { getCamdash } from './camdash';

const PROBE_TIMEOUT_MS = 10_000;

// One editor per process, like the registry: its queue is what keeps two saves from racing.
const EDITOR_KEY = Symbol.for('camdash.camerasEditor');
type GlobalWithEditor = typeof globalThis & { [EDITOR_KEY]?: CamerasFileEditor };

export async function camerasEditor(): Promise<CamerasFileEditor> {
  const holder = globalThis as GlobalWithEditor;
  const camdash = await getCamdash();
  holder[EDITOR_KEY] ??= new CamerasFileEditor(camdash.config.file, process.env, () => camdash.reload());
  return holder[EDITOR_KEY];
}

/**
 * Opens the source of a form once. A blank password on an existing camera means its saved one,
 * which only the server knows.
 */
export async function probeForm(form: CameraForm, existingId: string | undefined, signal?: AbortSignal): Promise<ProbeResult> {
  const saved: RawCameraEntry | undefined = existingId ? await (await camerasEditor()).savedEntry(existingId) : undefined;
  const entry = entryFromForm(form, saved);
  const { value, missing } = substituteEnvVars(entry, process.env);
  if (missing.length > 0) {
    return { ok: false, kind: 'failed', reason: `environment variable ${missing[0]!.name} is not set on the server` };
  }
  const camera = cameraSchema.safeParse(value);
  if (!camera.success) return { ok: false, kind: 'failed', reason: camera.error.issues[0]?.message ?? 'invalid camera' };
  const { ffmpeg } = await getCamdash();
  return probeSource(camera.data, {
    spawn: (command, args) => spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath: ffmpeg.ok ? ffmpeg.path : undefined,
    timeoutMs: PROBE_TIMEOUT_MS,
    signal,
  });
}
