import type { CaptureSnapshot } from '../capture/capture';
import { withoutUrls, type FailureKind } from '../capture/exit-reason';
import type { CameraConfig } from '../config/schema';
import type { SourceKind } from '../config/source';

export type CameraStatus = 'idle' | 'starting' | 'live' | 'offline' | 'disabled';

/**
 * What the browser and the API may know of a camera. Built here and nowhere else, from named
 * fields, so that a source URL (and the password in it) cannot reach a page or a response.
 */
export type PublicCamera = {
  id: string;
  name: string;
  kind: SourceKind;
  status: CameraStatus;
  reason: string | null;
  failure: FailureKind | null;
  retryInMs: number | null;
  viewers: number;
  fps: number;
  lastFrameAgeMs: number | null;
  restarts: number;
  /** ffmpeg's last error lines: bounded, credentials redacted, URLs removed. */
  log: string[];
};

export function publicCamera(camera: CameraConfig, snapshot: CaptureSnapshot | undefined, now: number): PublicCamera {
  return {
    id: camera.id,
    name: camera.name,
    kind: camera.input.kind,
    status: camera.enabled ? statusOf(snapshot) : 'disabled',
    reason: snapshot?.reason ?? null,
    failure: snapshot?.failure ?? null,
    retryInMs: snapshot?.retryAt === undefined ? null : Math.max(0, snapshot.retryAt - now),
    viewers: snapshot?.viewers ?? 0,
    fps: snapshot?.fps ?? 0,
    lastFrameAgeMs: snapshot?.lastFrameAt === undefined ? null : Math.max(0, now - snapshot.lastFrameAt),
    restarts: snapshot?.restarts ?? 0,
    log: (snapshot?.stderrTail ?? []).map(withoutUrls),
  };
}

function statusOf(snapshot: CaptureSnapshot | undefined): CameraStatus {
  switch (snapshot?.state) {
    case 'starting':
      return 'starting';
    case 'live':
      return 'live';
    case 'backoff':
      return 'offline';
    default:
      // Idle after a failure still reads as offline, with its reason.
      return snapshot?.reason ? 'offline' : 'idle';
  }
}
