'use client';

import { useEffect, useState } from 'react';

export type Columns = 'auto' | 1 | 2 | 3 | 4 | 5 | 6;
const CHOICES: Columns[] = ['auto', 1, 2, 3, 4, 5, 6];
const STORAGE_KEY = 'camdash.columns';

/** The grid's column count, chosen by the user and remembered in this browser. */
export function useColumns(): [Columns, (columns: Columns) => void] {
  const [columns, setColumns] = useState<Columns>('auto');
  useEffect(() => {
    // Read after hydration: the server cannot know this browser's choice.
    const stored = window.localStorage.getItem(STORAGE_KEY);
    const parsed = stored === 'auto' ? 'auto' : Number(stored);
    if ((CHOICES as unknown[]).includes(parsed)) setColumns(parsed as Columns);
  }, []);
  const choose = (next: Columns) => {
    setColumns(next);
    window.localStorage.setItem(STORAGE_KEY, String(next));
  };
  return [columns, choose];
}

export function ColumnPicker({ columns, onChange }: { columns: Columns; onChange: (columns: Columns) => void }) {
  return (
    <div role="group" aria-label="Columns" className="flex items-center gap-1 text-xs text-neutral-400">
      <span className="mr-1">Columns</span>
      {CHOICES.map((choice) => (
        <button
          key={choice}
          type="button"
          aria-pressed={columns === choice}
          onClick={() => onChange(choice)}
          className={`rounded px-2 py-1 ${columns === choice ? 'bg-neutral-700 text-white' : 'hover:bg-neutral-800'}`}
        >
          {choice === 'auto' ? 'Auto' : choice}
        </button>
      ))}
    </div>
  );
}

/** Automatic columns grow with the window and with the number of cameras. */
export function autoColumnClasses(cameraCount: number): string {
  if (cameraCount <= 1) return 'grid-cols-1';
  if (cameraCount <= 4) return 'grid-cols-1 sm:grid-cols-2';
  if (cameraCount <= 9) return 'grid-cols-1 sm:grid-cols-2 lg:grid-cols-3';
  if (cameraCount <= 16) return 'grid-cols-2 md:grid-cols-3 xl:grid-cols-4';
  return 'grid-cols-2 md:grid-cols-4 xl:grid-cols-5 2xl:grid-cols-6';
}
