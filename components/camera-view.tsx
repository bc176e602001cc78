'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { displayStatus } from '@/lib/cameras/display-status';
import type { DashboardState } from '@/lib/cameras/dashboard-state';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { streamUrl } from '@/lib/cameras/urls';
import { useCameraKeys } from './camera-keys';
import { EditCameraButton } from './camera-form/camera-form-buttons';
import { PlayerLinkButton } from './player-link-button';
import { playbackPath } from './playback/open-at';
import { CameraPicture } from './camera-picture';
import { CameraStats } from './camera-stats';
import { ConfigErrors } from './config-errors';
import { CameraVideo } from './live/camera-video';
import { livePath, livePathText } from './live/live-path';
import { LivePathLabel } from './live/live-path-label';
import { useLiveVideo, videoUrl } from './live/use-live-video';
import { saveJpeg, saveServerSnapshot } from './save-snapshot';
import { SnapshotButton } from './snapshot-button';
import { RecordingLabel } from './recording-label';
import { MotionDot, MotionOverlay } from './motion/motion-overlay';
import { MotionProvider } from './motion/use-motion';
import { StatusBadge } from './status-badge';
import { useCameraStatus } from './use-camera-statuses';
import { useFullscreen } from './use-fullscreen';
import { useLiveFrames } from './use-live-frames';
import { useMjpegStream } from './use-mjpeg-stream';
import { usePictureRenderer } from './use-picture-renderer';

type Props = { initialCamera: PublicCamera; initialConfig: DashboardState['config']; previous: string | null; next: string | null };

const BUTTON = 'shrink-0 whitespace-nowrap rounded bg-neutral-800 px-3 py-1 text-sm hover:bg-neutral-700 disabled:opacity-40';

/** One camera, as large as the window allows. */
export function CameraView({ initialCamera, initialConfig, previous, next }: Props) {
  const [pictureLive, setPictureLive] = useState(false);
  const { camera, config } = useCameraStatus(initialCamera, initialConfig, pictureLive);
  const { renderer, canvasRef } = usePictureRenderer();
  // The whole page goes fullscreen, so that its controls (and a way out) stay on screen.
  const page = useRef<HTMLElement>(null);
  const live = useLiveFrames();
  const [videoElement, setVideoElement] = useState<HTMLVideoElement | null>(null);
  const watching = camera.status !== 'disabled';
  // The camera's own video while it plays; MJPEG for a camera without one, and for good once the video fails here.
  const video = useLiveVideo(watching && camera.video ? videoUrl(camera.id) : null, videoElement, live.onFrame);
  const path = livePath(camera, video.fallback);
  const mjpeg = useMjpegStream(watching && path.path === 'mjpeg' ? streamUrl(camera.id) : null, renderer, live.onFrame);
  const status = displayStatus(camera, path.path === 'h264' ? video.state : mjpeg);
  useEffect(() => setPictureLive(status === 'live'), [status]);
  const { isFullscreen, toggle } = useFullscreen(page);
  useCameraKeys(previous, next);

  const saveSnapshot = async () => {
    if (path.path === 'h264') return saveServerSnapshot(camera.id);
    // The frame on screen, as the camera sent it: no re-encoding of the canvas.
    const jpeg = renderer.drawnJpeg;
    if (jpeg) saveJpeg(new Blob([jpeg as BlobPart], { type: 'image/jpeg' }), camera.id);
  };

  return (
    <MotionProvider enabled={camera.motion !== null}>
      <main ref={page} className="flex h-[calc(100dvh-3rem)] flex-col bg-neutral-950 [&:fullscreen]:h-dvh" data-camera-page={camera.id}>
        <div className="flex flex-wrap items-center gap-2 px-3 py-2 sm:gap-3 sm:px-4">
          <Link
            href="/"
            aria-label="All cameras"
            className="shrink-0 whitespace-nowrap rounded px-2 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white"
          >
            ← <span className="hidden sm:inline">All cameras</span>
          </Link>
          <h1 className="min-w-0 max-w-[60vw] truncate font-medium sm:max-w-none">{camera.name}</h1>
          <StatusBadge status={status} />
          {camera.motion && <MotionDot camera={camera.id} />}
          {/* On a phone the buttons take a row of their own, below the name. */}
          <div className="ml-auto flex flex-wrap gap-2">
            {previous && (
              <Link href={`/cameras/${encodeURIComponent(previous)}`} aria-label="Previous camera" title="Previous camera (←)" className={BUTTON}>
                ‹
              </Link>
            )}
            {next && (
              <Link href={`/cameras/${encodeURIComponent(next)}`} aria-label="Next camera" title="Next camera (→)" className={BUTTON}>
                ›
              </Link>
            )}
            <Link href={playbackPath(camera.id)} data-playback-link title="Recorded footage" className={BUTTON}>
              Playback
            </Link>
            <PlayerLinkButton cameraId={camera.id} className={BUTTON} />
            <EditCameraButton cameraId={camera.id} className={BUTTON} />
            <SnapshotButton save={saveSnapshot} disabled={status !== 'live'} className={BUTTON} />
            <button type="button" onClick={toggle} title="Fullscreen (f)" className={BUTTON}>
              {isFullscreen ? 'Exit fullscreen' : 'Fullscreen'}
            </button>
          </div>
        </div>
        {config.errors.length > 0 && (
          <div className="px-3 sm:px-4">
            <ConfigErrors config={config} />
          </div>
        )}
        <div className="relative min-h-0 flex-1 bg-black">
          {path.path === 'h264' ? (
            <CameraVideo camera={camera} status={status} videoRef={setVideoElement} className="absolute inset-0 size-full object-contain" />
          ) : (
            <CameraPicture camera={camera} status={status} canvasRef={canvasRef} className="absolute inset-0 size-full object-contain" />
          )}
          {status === 'live' && (
            <div data-live-overlay className="absolute left-2 top-2 rounded bg-black/60 px-2 py-1 font-mono text-xs text-neutral-200">
              {live.fps.toFixed(1)} fps · {live.ageMs === null ? '—' : `${live.ageMs} ms`}
            </div>
          )}
          {/* The ring only: the picture is letterboxed in this box, so boxes would not sit on it. */}
          {camera.motion && <MotionOverlay camera={camera.id} boxes={false} />}
        </div>
        <div className="px-3 py-2 sm:px-4">
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
            <LivePathLabel path={path} text={livePathText(camera, path, video.format)} />
            {camera.recording && <RecordingLabel recording={camera.recording} />}
            <CameraStats camera={camera} />
          </div>
          {camera.log.length > 0 && status !== 'live' && (
            <details className="mt-1 text-xs text-neutral-500">
              <summary className="cursor-pointer">ffmpeg log</summary>
              <pre className="mt-1 overflow-x-auto whitespace-pre-wrap">{camera.log.join('\n')}</pre>
            </details>
          )}
        </div>
      </main>
    </MotionProvider>
  );
}
