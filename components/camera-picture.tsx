import type { RefCallback } from 'react';
import { offlineText } from '@/lib/cameras/display-status';
import type { CameraStatus, PublicCamera } from '@/lib/cameras/public-camera';

type Props = {
  camera: PublicCamera;
  status: CameraStatus;
  canvasRef: RefCallback<HTMLCanvasElement>;
  className?: string;
};

/**
 * The live picture, and over it what explains a missing one (starting, offline and why). Frames are
 * drawn on the canvas by a PictureRenderer; a picture that is not live (a still, the last frame of a
 * stream that stopped) stays on it, dimmed.
 */
export function CameraPicture({ camera, status, canvasRef, className = '' }: Props) {
  return (
    <>
      <canvas ref={canvasRef} role="img" aria-label={camera.name} data-picture={camera.id} className={`${className} ${status === 'live' ? '' : 'opacity-40'}`} />
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
