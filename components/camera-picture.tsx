import type { RefCallback } from 'react';
import type { CameraStatus, PublicCamera } from '@/lib/cameras/public-camera';
import { PictureStatus } from './picture-status';

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
      <PictureStatus camera={camera} status={status} />
    </>
  );
}
