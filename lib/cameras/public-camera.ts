import type { StreamSnapshot } from '../capture/camera-stream';
import { withoutUrls, type FailureKind } from '../capture/exit-reason';
import type { CameraConfig } from '../config/schema';
import type { SourceKind } from '../config/source';
import { hasOwnVideo } from '../ffmpeg/live-args';
import type { MotionWatchSnapshot } from '../motion-watch/motion-watch';
import type { RecordingStatus } from '../recording/types';

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
  /**
   * The camera's own video, copied from its one connection for the browser's player; null when
   * it has none and is watched as MJPEG (`mjpegOnly` says why). Codec and size are known once
   * the camera has been connected; `readBy`, while it is: camdash's own RTSP client, or ffmpeg.
   */
  video: { codec: string | null; width: number | null; height: number | null; bitsPerSecond: number; viewers: number; readBy: 'camdash' | 'ffmpeg' | null } | null;
  mjpegOnly: string | null;
  /**
   * Motion detection, for a camera that has it on: whether an event goes on (since when), and
   * the detector's own state (its decoder runs with nobody watching). Null when it is off.
   */
  motion: { active: boolean; since: number | null; state: string; reason: string | null } | null;
  /**
   * Recording, for a camera that asks for it: whether a segment is being written and, when not,
   * why (paused for disk space, a source with no video of its own to copy). Null when it is off.
   */
  recording: { mode: 'continuous' | 'motion'; active: boolean; reason: string | null; droppedFragments: number; bytesWritten: number } | null;
};

export function publicCamera(camera: CameraConfig, snapshot: StreamSnapshot | undefined, now: number, motion?: MotionWatchSnapshot, recording?: RecordingStatus): PublicCamera {
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
    video:
      hasOwnVideo(camera)
        ? {
            codec: snapshot?.video?.codec ?? null,
            width: snapshot?.video?.width ?? null,
            height: snapshot?.video?.height ?? null,
            bitsPerSecond: snapshot?.video?.bitsPerSecond ?? 0,
            viewers: snapshot?.video?.viewers ?? 0,
            readBy: snapshot?.video?.readBy ?? null,
          }
        : null,
    mjpegOnly: hasOwnVideo(camera) || camera.input.kind === 'rtsp' ? null : MJPEG_ONLY[camera.input.kind],
    motion:
      camera.motion && camera.enabled
        ? { active: motion?.active ?? false, since: motion?.since ?? null, state: motion?.state ?? 'idle', reason: motion?.reason === undefined ? null : withoutUrls(motion.reason) }
        : null,
    recording: recordingOf(camera, recording),
  };
}

function recordingOf(camera: CameraConfig, status: RecordingStatus | undefined): PublicCamera['recording'] {
  const mode = camera.record?.mode;
  if (!mode || mode === 'off' || !camera.enabled) return null;
  // A camera not yet taken up by the registry (the first second of the server) is on its way.
  const reason = status ? (status.reason ?? null) : 'starting';
  return { mode, active: status?.active ?? false, reason: reason === null ? null : withoutUrls(reason), droppedFragments: status?.droppedFragments ?? 0, bytesWritten: status?.bytesWritten ?? 0 };
}

/** Why a camera of each kind is watched as MJPEG. */
const MJPEG_ONLY: Record<Exclude<SourceKind, 'rtsp'>, string> = {
  http: 'an HTTP camera sends JPEGs',
  v4l2: 'a webcam is captured as JPEG',
  file: 'a video file is played as JPEG',
  test: 'a test pattern is made as JPEG',
};

function statusOf(snapshot: StreamSnapshot | undefined): CameraStatus {
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
