'use client';

import Link from 'next/link';
import { useRef } from 'react';
import { displayStatus } from '@/lib/cameras/display-status';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { CameraPicture } from './camera-picture';
import { useGridPicture } from './grid-stream';
import type { FrameSize } from './picture-renderer';
import { StatusBadge } from './status-badge';
import { usePictureRenderer } from './use-picture-renderer';

// Until the first frame tells the camera's own shape, the most common one.
const aspectRatio = (frame: FrameSize | null) => (frame ? `${frame.width} / ${frame.height}` : '16 / 9');

export function CameraTile({ camera }: { camera: PublicCamera }) {
  const { renderer, canvasRef, frameSize } = usePictureRenderer();
  const tile = useRef<HTMLAnchorElement>(null);
  const stream = useGridPicture(camera.id, tile, renderer, camera.status !== 'disabled');
  const status = displayStatus(camera, stream);
  return (
    <Link
      ref={tile}
      href={`/cameras/${encodeURIComponent(camera.id)}`}
      data-camera={camera.id}
      className="group block overflow-hidden rounded-lg bg-neutral-900 ring-1 ring-neutral-800 transition hover:ring-neutral-500 focus-visible:outline-2 focus-visible:outline-sky-500"
    >
      <div className="relative bg-black" style={{ aspectRatio: aspectRatio(frameSize) }}>
        <CameraPicture camera={camera} status={status} canvasRef={canvasRef} className="block size-full object-contain" />
      </div>
      <div className="flex items-center justify-between gap-2 px-3 py-2">
        <span className="truncate text-sm font-medium">{camera.name}</span>
        <StatusBadge status={status} />
      </div>
    </Link>
  );
}
