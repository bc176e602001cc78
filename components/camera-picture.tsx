import type { ReactNode, RefCallback } from 'react';
import type { CameraStatus, PublicCamera } from '@/lib/cameras/public-camera';
import { PictureStatus } from './picture-status';

type Props = {
  camera: PublicCamera;
  status: CameraStatus;
  canvasRef: RefCallback<HTMLCanvasElement>;
  className?: string;
  /** What lies over the canvas, under the status: a grid tile's video, which leaves its last picture on the canvas. */
  cover?: ReactNode;
};

/**
 * The live picture, and over it what explains a missing one (starting, offline and why). Frames are
 * drawn on the canvas by a PictureRenderer; a picture that is not live (a still, the last frame of a
 * stream that stopped) stays on it, dimmed.
 */
export function CameraPicture({ camera, status, canvasRef, className = '', cover }: Props) {
  return (
    <>
      <canvas ref={canvasRef} role="img" aria-label={camera.name} data-picture={camera.id} className={`${className} ${status === 'live' ? '' : 'opacity-40'}`} />
      {cover}
      <PictureStatus camera={camera} status={status} />
    </>
  );
}
