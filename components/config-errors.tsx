import type { DashboardState } from '@/lib/cameras/dashboard-state';

/** Shown while the cameras file has errors, until an edit fixes them. */
export function ConfigErrors({ config }: { config: DashboardState['config'] }) {
  if (config.errors.length === 0) return null;
  return (
    <div role="alert" data-config-errors className="mb-3 rounded-lg border border-red-500/40 bg-red-950/40 p-3 text-sm text-red-200">
      <p className="font-medium">
        {config.file} has errors.{' '}
        {config.hasRunningConfig
          ? 'The cameras keep running as they were before the last edit, until the file is fixed:'
          : 'No camera runs until the file is fixed:'}
      </p>
      <ul className="mt-1 list-inside list-disc font-mono text-xs">
        {config.errors.map((error) => (
          <li key={error}>{error}</li>
        ))}
      </ul>
    </div>
  );
}
