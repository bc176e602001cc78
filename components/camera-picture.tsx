import type { RefObject } from 'react';
import { offlineText } from '@/lib/cameras/display-status';
import type { CameraStatus, PublicCamera } from '@/lib/cameras/public-camera';

type Props = {
  camera: PublicCamera;
  status: CameraStatus;
  image: RefObject<HTMLImageElement | null>;
  className?: string;
};

/** The live image, and over it what explains a missing one (starting, offline and why). */
export function CameraPicture({ camera, status, image, className = '' }: Props) {
  return (
    <>
      {/* eslint-disable-next-line @next/next/no-img-element -- frames are blob: URLs set by the stream reader */}
      <img ref={image} alt={camera.name} data-picture={camera.id} className={`${className} ${status === 'live' ? '' : 'opacity-40'} [&:not([src])]:invisible`} />
      {status !== 'live' && (
        <div className="absolute inset-0 flex flex-col items-center justify-center gap-1 p-3 text-center text-sm">
          {status === 'offline' ? (
            <>
              <span className="font-medium text-red-300">{offlineText(camera)}</span>
              {camera.reason && <span className="line-clamp-3 max-w-prose text-xs text-neutral-400">{camera.reason}</span>}
            </>
          ) : (
            <span className="text-neutral-400">{status === 'disabled' ? 'Disabled in cameras.json' : 'Starting…'}</span>
          )}
        </div>
      )}
    </>
  );
}
