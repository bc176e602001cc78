'use client';

import type { Playback } from './use-playback';

const MESSAGES = { loading: 'Loading…', ended: 'End of the recording', paused: undefined, playing: undefined, failed: undefined } as const;

/** The recorded picture, letterboxed, with what it is waiting for. */
export function PlaybackPicture({ camera, playback, message }: { camera: string; playback: Playback; message: string | undefined }) {
  const state = playback.state;
  const text = message ?? (state === 'failed' ? `Cannot play: ${playback.reason ?? 'unknown error'}` : state ? MESSAGES[state] : undefined);
  return (
    <div className="relative min-h-0 flex-1 bg-black">
      <video ref={playback.videoRef} data-video={camera} data-playback-video data-state={state ?? ''} muted playsInline className="absolute inset-0 size-full object-contain" />
      {text && (
        <div data-playback-message className="pointer-events-none absolute inset-x-0 bottom-3 mx-auto w-fit rounded bg-black/70 px-3 py-1 text-sm text-neutral-200">
          {text}
        </div>
      )}
    </div>
  );
}
