'use client';

import Link from 'next/link';
import { useHydrated } from '../events/use-hydrated';
import { PlaybackBody } from './playback-body';
import { BUTTON } from './styles';

type Props = { camera: { id: string; name: string }; initialAt: number | null; problem: string | null };

/**
 * A camera's recorded footage: the picture, its clock, the controls and the day's timeline. The
 * timeline, the clock and the day are the browser's local time, which the server's render does
 * not know: all of it is drawn once the page runs there.
 */
export function PlaybackView({ camera, initialAt, problem }: Props) {
  const hydrated = useHydrated();
  const live = `/cameras/${encodeURIComponent(camera.id)}`;
  return (
    <main className="flex h-[calc(100dvh-3rem)] flex-col bg-neutral-950" data-playback-page={camera.id}>
      <div className="flex flex-wrap items-center gap-2 px-3 py-2 sm:gap-3 sm:px-4">
        <Link href={live} aria-label="Back to live" className="shrink-0 whitespace-nowrap rounded px-2 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white">
          ← <span className="hidden sm:inline">Live</span>
        </Link>
        <h1 className="min-w-0 max-w-[60vw] truncate font-medium sm:max-w-none">{camera.name}</h1>
        <span className="rounded bg-neutral-800 px-2 py-0.5 text-xs text-neutral-300">Playback</span>
        <div className="ml-auto flex flex-wrap gap-2">
          <Link href={live} data-live-link className={`${BUTTON} inline-flex items-center gap-1.5`}>
            <span className="size-1.5 rounded-full bg-red-500" />
            Live
          </Link>
        </div>
      </div>
      {problem && (
        <p role="alert" className="mx-3 mb-2 rounded border border-amber-500/40 bg-amber-950/40 px-3 py-1.5 text-sm text-amber-200 sm:mx-4">
          {problem}
        </p>
      )}
      {hydrated ? <PlaybackBody camera={camera.id} initialAt={initialAt ?? undefined} /> : <div className="min-h-0 flex-1 bg-black" />}
    </main>
  );
}
