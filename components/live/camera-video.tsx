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
 * missing picture, as CameraPicture does for MJPEG. Muted and inline: only such a video may start
 * playing without a tap, on phones above all. No controls: it is live, there is nothing to seek.
 */
export function CameraVideo({ camera, status, videoRef, className = '' }: Props) {
  return (
    <>
      <video
        ref={videoRef}
        muted
        playsInline
        aria-label={camera.name}
        data-video={camera.id}
        className={`${className} ${status === 'live' ? '' : 'opacity-40'}`}
      />
      <PictureStatus camera={camera} status={status} />
    </>
  );
}
