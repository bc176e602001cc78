'use client';

import type { PublicCamera } from '@/lib/cameras/public-camera';
import { CameraTile } from './camera-tile';
import { GridStreamProvider } from './grid-stream';
import { useCameraStatuses } from './use-camera-statuses';

export function CameraGrid({ initialCameras }: { initialCameras: PublicCamera[] }) {
  const cameras = useCameraStatuses(initialCameras);
  if (cameras.length === 0) {
    return (
      <p className="mx-auto mt-16 max-w-md text-center text-neutral-400">
        No cameras yet. Add one to <code className="text-neutral-200">cameras.json</code> and restart camdash.
      </p>
    );
  }
  return (
    <GridStreamProvider cameraIds={cameras.map((camera) => camera.id)}>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 sm:gap-3 xl:grid-cols-3 2xl:grid-cols-4">
        {cameras.map((camera) => (
          <CameraTile key={camera.id} camera={camera} />
        ))}
      </div>
    </GridStreamProvider>
  );
}
