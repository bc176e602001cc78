import Link from 'next/link';
import { LocalTime } from '@/components/events/local-time';
import { playbackPath } from '@/components/playback/open-at';
import { recordingText } from '@/components/recording-label';
import type { RecordingsRow } from '@/lib/recording/recordings-overview';

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;
const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`);

/** Each recorded camera: what it does now, how much of the day is on disk, and the way to play it. */
export function RecordingsList({ rows }: { rows: readonly RecordingsRow[] }) {
  if (rows.length === 0) {
    return (
      <p data-recordings-empty className="rounded border border-neutral-800 p-4 text-sm text-neutral-400">
        No camera records. Add <code className="text-neutral-200">&quot;record&quot;: {'{'} &quot;mode&quot;: &quot;continuous&quot; {'}'}</code> to a camera in cameras.json.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-neutral-800 rounded border border-neutral-800">
      {rows.map((row) => (
        <li key={row.id} data-recordings-row={row.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2">
          <span className="min-w-32 font-medium">{row.name}</span>
          <span className={`text-xs ${row.recording?.active ? 'text-red-300' : 'text-amber-300'}`}>{row.recording ? recordingText(row.recording) : 'recording off'}</span>
          <span className="text-xs text-neutral-400">
            {hours(row.recordedMs)} in the last 24 h · {size(row.bytes)} on disk
            {row.lastRecordedAt !== null && (
              <>
                {' '}· up to <LocalTime ms={row.lastRecordedAt} />
              </>
            )}
          </span>
          <Link href={playbackPath(row.id)} className="ml-auto rounded-md bg-neutral-800 px-2.5 py-1 text-sm hover:bg-neutral-700">
            Playback
          </Link>
        </li>
      ))}
    </ul>
  );
}
