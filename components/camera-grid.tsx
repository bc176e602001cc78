'use client';

import type { DashboardState } from '@/lib/cameras/dashboard-state';
import { CameraTile } from './camera-tile';
import { ConfigErrors } from './config-errors';
import { autoColumnClasses, ColumnPicker, useColumns } from './column-picker';
import { GridStreamProvider } from './grid-stream';
import { MotionProvider } from './motion/use-motion';
import { useDashboardState } from './use-camera-statuses';

export function CameraGrid({ initialState }: { initialState: DashboardState }) {
  const { cameras, config } = useDashboardState(initialState);
  const [columns, setColumns] = useColumns();
  if (cameras.length === 0) {
    return (
      <>
        <ConfigErrors config={config} />
        <p className="mx-auto mt-16 max-w-md text-center text-neutral-400">
          No cameras yet. Use <strong className="text-neutral-200">Add camera</strong> above, or add one to{' '}
          <code className="text-neutral-200">{config.file || 'cameras.json'}</code>: it shows up here as soon as the file is saved.
        </p>
      </>
    );
  }
  return (
    <MotionProvider enabled={cameras.some((camera) => camera.motion)}>
      <GridStreamProvider cameraIds={cameras.map((camera) => camera.id)}>
        <ConfigErrors config={config} />
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
    </MotionProvider>
  );
}
