import type { PublicCamera } from '@/lib/cameras/public-camera';

/** The numbers an operator checks when a camera looks wrong. */
export function CameraStats({ camera }: { camera: PublicCamera }) {
  const age = camera.lastFrameAgeMs === null ? '—' : `${(camera.lastFrameAgeMs / 1000).toFixed(1)} s ago`;
  return (
    <dl data-camera-stats={camera.id} className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-neutral-400">
      <Stat label="fps" value={camera.fps.toFixed(1)} />
      <Stat label="viewers" value={String(camera.viewers)} />
      <Stat label="last frame" value={age} />
      <Stat label="restarts" value={String(camera.restarts)} />
    </dl>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex gap-1">
      <dt>{label}</dt>
      <dd className="font-mono text-neutral-200">{value}</dd>
    </div>
  );
}
