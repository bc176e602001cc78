import type { LivePath } from './live-path';

/**
 * Which way the picture comes, and why MJPEG when it is: an operator wondering about quality or
 * latency, and the tests, read it here (`data-live-path`, `data-live-path-reason`).
 */
export function LivePathLabel({ path, text }: { path: LivePath; text: string }) {
  return (
    <span
      data-live-path={path.path}
      data-live-path-reason={path.reason ?? ''}
      title={text}
      className="min-w-0 max-w-full truncate font-mono text-xs text-neutral-400"
    >
      {text}
    </span>
  );
}
