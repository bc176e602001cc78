'use client';

import { useState } from 'react';

type Props = { save: () => Promise<void>; disabled: boolean; className: string };

/** The Snapshot button: busy while a snapshot is fetched, and saying why when one could not be had. */
export function SnapshotButton({ save, disabled, className }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const click = async () => {
    setBusy(true);
    setError(null);
    try {
      await save();
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      onClick={() => void click()}
      disabled={disabled || busy}
      title={error ? `No snapshot: ${error}` : 'Download this frame'}
      className={`${className} ${error ? 'ring-1 ring-red-400' : ''}`}
    >
      Snapshot
    </button>
  );
}
