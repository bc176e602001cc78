import type { CameraStatus } from '@/lib/cameras/public-camera';

const STYLES: Record<CameraStatus, string> = {
  live: 'bg-green-500/15 text-green-400 ring-green-500/30',
  starting: 'bg-amber-500/15 text-amber-300 ring-amber-500/30',
  offline: 'bg-red-500/15 text-red-400 ring-red-500/30',
  idle: 'bg-neutral-500/15 text-neutral-400 ring-neutral-500/30',
  disabled: 'bg-neutral-500/15 text-neutral-500 ring-neutral-500/30',
};

export function StatusBadge({ status }: { status: CameraStatus }) {
  return (
    <span
      data-status={status}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}
    >
      <span className={`size-1.5 rounded-full bg-current ${status === 'live' ? 'animate-pulse' : ''}`} />
      {status}
    </span>
  );
}
