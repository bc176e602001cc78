import { offlineText } from '@/lib/cameras/display-status';
import type { CameraStatus, PublicCamera } from '@/lib/cameras/public-camera';

/** Over a picture that is not live, what explains it: starting, disabled, or offline and why. */
export function PictureStatus({ camera, status }: { camera: PublicCamera; status: CameraStatus }) {
  if (status === 'live') return null;
  return (
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
  );
}
