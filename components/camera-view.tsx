'use client';

import Link from 'next/link';
import { useRef } from 'react';
import { displayStatus } from '@/lib/cameras/display-status';
import { snapshotFileName } from '@/lib/cameras/neighbours';
import type { DashboardState } from '@/lib/cameras/dashboard-state';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { streamUrl } from '@/lib/cameras/urls';
import { useCameraKeys } from './camera-keys';
import { EditCameraButton } from './camera-form/camera-form-buttons';
import { PlayerLinkButton } from './player-link-button';
import { CameraPicture } from './camera-picture';
import { CameraStats } from './camera-stats';
import { ConfigErrors } from './config-errors';
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
  const { camera, config } = useCameraStatus(initialCamera, initialConfig);
  const { renderer, canvasRef } = usePictureRenderer();
  // The whole page goes fullscreen, so that its controls (and a way out) stay on screen.
  const page = useRef<HTMLElement>(null);
  const live = useLiveFrames();
  const stream = useMjpegStream(camera.status === 'disabled' ? null : streamUrl(camera.id), renderer, live.onFrame);
  const status = displayStatus(camera, stream);
  const { isFullscreen, toggle } = useFullscreen(page);
  useCameraKeys(previous, next);

  const saveSnapshot = () => {
    // The frame on screen, as the camera sent it: no re-encoding of the canvas.
    const jpeg = renderer.drawnJpeg;
    if (!jpeg) return;
    const url = URL.createObjectURL(new Blob([jpeg as BlobPart], { type: 'image/jpeg' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = snapshotFileName(camera.id, new Date());
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
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
          <PlayerLinkButton cameraId={camera.id} className={BUTTON} />
          <EditCameraButton cameraId={camera.id} className={BUTTON} />
          <button type="button" onClick={saveSnapshot} disabled={status !== 'live'} title="Download this frame" className={BUTTON}>
            Snapshot
          </button>
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
        <CameraPicture camera={camera} status={status} canvasRef={canvasRef} className="absolute inset-0 size-full object-contain" />
        {status === 'live' && (
          <div data-live-overlay className="absolute left-2 top-2 rounded bg-black/60 px-2 py-1 font-mono text-xs text-neutral-200">
            {live.fps.toFixed(1)} fps · {live.ageMs === null ? '—' : `${live.ageMs} ms`}
          </div>
        )}
      </div>
      <div className="px-3 py-2 sm:px-4">
        <CameraStats camera={camera} />
        {camera.log.length > 0 && status !== 'live' && (
          <details className="mt-1 text-xs text-neutral-500">
            <summary className="cursor-pointer">ffmpeg log</summary>
            <pre className="mt-1 overflow-x-auto whitespace-pre-wrap">{camera.log.join('\n')}</pre>
          </details>
        )}
      </div>
    </main>
  );
}
