'use client';

import { useMotion } from './use-motion';

/**
 * Motion on a camera's picture at a glance: a red ring while an event goes on, and boxes around
 * what moves now. Laid over the picture's box, which has the picture's own shape, so fractions of
 * the picture are fractions of the box.
 */
export function MotionOverlay({ camera, boxes = true }: { camera: string; boxes?: boolean }) {
  const motion = useMotion(camera);
  if (!motion) return null;
  return (
    <div className="pointer-events-none absolute inset-0" data-motion={motion.active ? 'active' : 'still'}>
      {motion.active && <div className="absolute inset-0 rounded-[inherit] ring-4 ring-red-500/80 ring-inset" />}
      {boxes &&
        motion.boxes.map((box, index) => (
          <div
            key={index}
            data-motion-box=""
            className="absolute border-2 border-red-400/90"
            style={{ left: `${box.x * 100}%`, top: `${box.y * 100}%`, width: `${box.width * 100}%`, height: `${box.height * 100}%` }}
          />
        ))}
    </div>
  );
}

/** A dot beside the camera's name: red while an event goes on, grey while motion is watched and still. */
export function MotionDot({ camera }: { camera: string }) {
  const motion = useMotion(camera);
  if (!motion) return null;
  return (
    <span
      title={motion.active ? `motion since ${new Date(motion.since ?? motion.at).toLocaleTimeString()}` : 'motion detection on, nothing moving'}
      data-motion-dot={motion.active ? 'active' : 'still'}
      className={`inline-block size-2 shrink-0 rounded-full ${motion.active ? 'animate-pulse bg-red-500' : 'bg-neutral-600'}`}
    />
  );
}
