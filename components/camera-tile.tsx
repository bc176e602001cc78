'use client';

import Link from 'next/link';
import { useRef } from 'react';
import { displayStatus } from '@/lib/cameras/display-status';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { CameraPicture } from './camera-picture';
import { StatusBadge } from './status-badge';
import { useGridPicture } from './grid-stream';

export function CameraTile({ camera }: { camera: PublicCamera }) {
  const image = useRef<HTMLImageElement>(null);
  const tile = useRef<HTMLAnchorElement>(null);
  const stream = useGridPicture(camera.id, tile, image, camera.status !== 'disabled');
  const status = displayStatus(camera, stream);
  return (
    <Link
      ref={tile}
      href={`/cameras/${encodeURIComponent(camera.id)}`}
      data-camera={camera.id}
      className="group block overflow-hidden rounded-lg bg-neutral-900 ring-1 ring-neutral-800 transition hover:ring-neutral-500 focus-visible:outline-2 focus-visible:outline-sky-500"
    >
      <div className="relative aspect-video bg-black">
        <CameraPicture camera={camera} status={status} image={image} className="size-full object-contain" />
      </div>
      <div className="flex items-center justify-between gap-2 px-3 py-2">
        <span className="truncate text-sm font-medium">{camera.name}</span>
        <StatusBadge status={status} />
      </div>
    </Link>
  );
}
