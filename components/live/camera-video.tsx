import type { RefCallback } from 'react';
import type { CameraStatus, PublicCamera } from '@/lib/cameras/public-camera';
import { PictureStatus } from '../picture-status';

type Props = {
  camera: PublicCamera;
  status: CameraStatus;
  videoRef: RefCallback<HTMLVideoElement>;
  className?: string;
};

/**
 * The camera's own video, played by an MsePlayer (useLiveVideo), and over it what explains a
 * missing picture, as CameraPicture does for MJPEG.
 */
export function CameraVideo({ camera, status, videoRef, className = '' }: Props) {
  return (
    <>
      <LiveVideoElement camera={camera} status={status} videoRef={videoRef} className={className} />
      <PictureStatus camera={camera} status={status} />
    </>
  );
}

/**
 * The <video> a player plays a camera in, the camera page's and a grid tile's. Muted and inline:
 * only such a video may start playing without a tap, on phones above all. No controls: it is live,
 * there is nothing to seek. Dimmed, as the canvas is, while the picture is not live.
 */
export function LiveVideoElement({ camera, status, videoRef, className = '' }: Props) {
  return (
    <video
      ref={videoRef}
      muted
      playsInline
      aria-label={camera.name}
      data-video={camera.id}
      className={`${className} ${status === 'live' ? '' : 'opacity-40'}`}
    />
  );
}
