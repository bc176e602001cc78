import type { CameraStatus, PublicCamera } from './public-camera';

/** What the player itself sees of the stream. */
export type StreamState = 'connecting' | 'receiving' | 'stalled';

/**
 * The status a person should see: frames arriving right now mean live, whatever the last poll
 * said; otherwise the server's word, which knows why a camera is down.
 */
export function displayStatus(camera: PublicCamera, stream: StreamState): CameraStatus {
  if (camera.status === 'disabled') return 'disabled';
  if (stream === 'receiving') return 'live';
  if (camera.status === 'live' || camera.status === 'idle') return stream === 'stalled' ? 'offline' : 'starting';
  return camera.status;
}

export function offlineText(camera: PublicCamera): string {
  const retry = camera.retryInMs === null ? '' : ` — retrying in ${Math.max(1, Math.ceil(camera.retryInMs / 1000))} s`;
  return `Offline${retry}`;
}
