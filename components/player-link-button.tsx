'use client';

import { useState } from 'react';

type Links = { stream: string; snapshot: string };

/**
 * The camera's stream and snapshot URLs for players that cannot log in (VLC, Home Assistant),
 * fetched when asked for: they carry a token for this camera.
 */
export function PlayerLinkButton({ cameraId, className }: { cameraId: string; className: string }) {
  const [links, setLinks] = useState<Links | null>(null);
  const [copied, setCopied] = useState(false);
  const open = async () => {
    if (links) return setLinks(null);
    const response = await fetch(`/api/cameras/${encodeURIComponent(cameraId)}/player-link`, { cache: 'no-store' }).catch(() => null);
    if (response?.ok) setLinks((await response.json()) as Links);
  };
  const copy = async (text: string) => {
    await navigator.clipboard?.writeText(text).then(() => setCopied(true), () => {});
  };
  return (
    <div className="relative">
      <button type="button" onClick={() => void open()} aria-expanded={links !== null} title="Stream URL for VLC or Home Assistant" className={className}>
        Player link
      </button>
      {links && (
        <div role="dialog" aria-label="Player link" className="absolute right-0 z-10 mt-2 w-[min(32rem,90vw)] space-y-2 rounded-lg border border-neutral-700 bg-neutral-900 p-3 text-xs shadow-xl">
          <p className="text-neutral-400">For VLC, ffplay or Home Assistant&apos;s MJPEG camera. Anyone with this link can watch this camera.</p>
          {(['stream', 'snapshot'] as const).map((kind) => (
            <label key={kind} className="block">
              <span className="text-neutral-400">{kind === 'stream' ? 'MJPEG stream' : 'Snapshot'}</span>
              <input readOnly value={links[kind]} onFocus={(event) => event.target.select()} className="mt-0.5 w-full rounded border border-neutral-700 bg-neutral-950 px-2 py-1 font-mono text-neutral-200" />
            </label>
          ))}
          <button type="button" onClick={() => void copy(links.stream)} className="rounded bg-neutral-800 px-2 py-1 hover:bg-neutral-700">
            {copied ? 'Copied' : 'Copy stream URL'}
          </button>
        </div>
      )}
    </div>
  );
}
