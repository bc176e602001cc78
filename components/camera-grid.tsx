'use client';

import type { PublicCamera } from '@/lib/cameras/public-camera';
import { CameraTile } from './camera-tile';
import { autoColumnClasses, ColumnPicker, useColumns } from './column-picker';
import { GridStreamProvider } from './grid-stream';
import { useCameraStatuses } from './use-camera-statuses';

export function CameraGrid({ initialCameras }: { initialCameras: PublicCamera[] }) {
  const cameras = useCameraStatuses(initialCameras);
  const [columns, setColumns] = useColumns();
  if (cameras.length === 0) {
    return (
      <p className="mx-auto mt-16 max-w-md text-center text-neutral-400">
        No cameras yet. Add one to <code className="text-neutral-200">cameras.json</code> and restart camdash.
      </p>
    );
  }
  return (
    <GridStreamProvider cameraIds={cameras.map((camera) => camera.id)}>
      <div className="mb-2 flex justify-end">
        <ColumnPicker columns={columns} onChange={setColumns} />
      </div>
      <div
        className={`grid gap-2 sm:gap-3 ${columns === 'auto' ? autoColumnClasses(cameras.length) : ''}`}
        style={columns === 'auto' ? undefined : { gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
      >
        {cameras.map((camera) => (
          <CameraTile key={camera.id} camera={camera} />
        ))}
      </div>
    </GridStreamProvider>
  );
}
