import type { PublicCamera } from '@/lib/cameras/public-camera';
import type { VideoFormat } from './video-parts-player';

/**
 * How the camera page shows a camera: `h264`, its own video copied from its one connection and
 * played through Media Source Extensions; `mjpeg`, JPEGs drawn on a canvas. `reason` says why MJPEG.
 */
export type LivePath = { path: 'h264'; reason: null } | { path: 'mjpeg'; reason: string };

/** The camera's own video when it has one and it has not been given up on (`fallback`) on this page. */
export function livePath(camera: PublicCamera, fallback: string | null): LivePath {
  if (!camera.video) return { path: 'mjpeg', reason: camera.mjpegOnly ?? 'this camera has no video to copy' };
  if (fallback) return { path: 'mjpeg', reason: fallback };
  return { path: 'h264', reason: null };
}

/** `H.264 · 1280×720 · 2.1 Mbit/s`, from what the last init said and what the server measures; `MJPEG — why`. */
export function livePathText(camera: PublicCamera, path: LivePath, format: VideoFormat | null): string {
  if (path.path === 'mjpeg') return `MJPEG — ${path.reason}`;
  const codec = format?.codec ?? camera.video?.codec ?? null;
  const width = format?.width ?? camera.video?.width ?? null;
  const height = format?.height ?? camera.video?.height ?? null;
  const bitsPerSecond = camera.video?.bitsPerSecond ?? 0;
  return [
    codec ? codecName(codec) : 'Video',
    width && height ? `${width}×${height}` : null,
    bitsPerSecond > 0 ? bitRate(bitsPerSecond) : null,
  ]
    .filter((part) => part !== null)
    .join(' · ');
}

/** What an operator calls the codec of an RFC 6381 string: avc1.42C01E is H.264. */
export function codecName(codec: string): string {
  const fourcc = codec.split('.')[0] ?? codec;
  if (fourcc === 'avc1' || fourcc === 'avc3') return 'H.264';
  if (fourcc === 'hvc1' || fourcc === 'hev1') return 'H.265';
  return codec;
}

function bitRate(bitsPerSecond: number): string {
  return bitsPerSecond >= 1_000_000 ? `${(bitsPerSecond / 1_000_000).toFixed(1)} Mbit/s` : `${Math.round(bitsPerSecond / 1_000)} kbit/s`;
}
