'use client';

import Link from 'next/link';
import { useRef } from 'react';
import { displayStatus } from '@/lib/cameras/display-status';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { streamUrl } from '@/lib/cameras/urls';
import { CameraPicture } from './camera-picture';
import { CameraStats } from './camera-stats';
import { StatusBadge } from './status-badge';
import { useCameraStatus } from './use-camera-statuses';
import { useFullscreen } from './use-fullscreen';
import { useMjpegStream } from './use-mjpeg-stream';

/** One camera, as large as the window allows. */
export function CameraView({ initialCamera }: { initialCamera: PublicCamera }) {
  const camera = useCameraStatus(initialCamera);
  const image = useRef<HTMLImageElement>(null);
  // The whole page goes fullscreen, so that its controls (and a way out) stay on screen.
  const page = useRef<HTMLElement>(null);
  const stream = useMjpegStream(camera.status === 'disabled' ? null : streamUrl(camera.id), image);
  const status = displayStatus(camera, stream);
  const { isFullscreen, toggle } = useFullscreen(page);

  return (
    <main ref={page} className="flex h-[calc(100dvh-3rem)] flex-col bg-neutral-950 [&:fullscreen]:h-dvh" data-camera-page={camera.id}>
      <div className="flex items-center gap-3 px-3 py-2 sm:px-4">
        <Link
          href="/"
          aria-label="All cameras"
          className="shrink-0 whitespace-nowrap rounded px-2 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white"
        >
          ← <span className="hidden sm:inline">All cameras</span>
        </Link>
        <h1 className="min-w-0 truncate font-medium">{camera.name}</h1>
        <StatusBadge status={status} />
        <button
          type="button"
          onClick={toggle}
          title="Fullscreen (f)"
          className="ml-auto shrink-0 rounded bg-neutral-800 px-3 py-1 text-sm hover:bg-neutral-700"
        >
          {isFullscreen ? 'Exit fullscreen' : 'Fullscreen'}
        </button>
      </div>
      <div className="relative min-h-0 flex-1 bg-black">
        <CameraPicture camera={camera} status={status} image={image} className="absolute inset-0 size-full object-contain" />
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
