import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { RecordingsList } from '@/components/recordings/recordings-list';
import { log } from '@/lib/log';
import { OVERVIEW_WINDOW_MS, recordingsOverview, type RecordedFootage } from '@/lib/recording/recordings-overview';
import { getSegmentIndex } from '@/lib/recording/segment-index-instance';
import { getCamdash } from '@/lib/server/camdash';

export const metadata: Metadata = { title: 'Recordings' };

/** The recorded cameras, each with its day of footage and a way into its playback. */
export default async function RecordingsPage() {
  await connection();
  const camdash = await getCamdash();
  const now = Date.now();
  let footage: (camera: string) => RecordedFootage = () => ({ spans: [], bytes: 0 });
  let problem: string | undefined;
  try {
    const index = getSegmentIndex();
    const bytes = index.bytesByCamera();
    footage = (camera) => ({ spans: index.spans(camera, now - OVERVIEW_WINDOW_MS, now), bytes: bytes.get(camera) ?? 0 });
  } catch (error) {
    problem = `the recordings' index is unavailable: ${(error as Error).message}`;
    log('error', problem);
  }
  const rows = recordingsOverview(camdash.cameras(), footage);
  return (
    <main data-recordings-page className="mx-auto max-w-5xl space-y-4 p-2 sm:p-4">
      <div className="flex items-center gap-3">
        <Link href="/" className="shrink-0 whitespace-nowrap rounded px-2 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white">
          ← <span className="hidden sm:inline">All cameras</span>
        </Link>
        <h1 className="font-medium">Recordings</h1>
      </div>
      {problem && <p className="rounded border border-red-800 bg-red-950/40 p-3 text-sm text-red-200">{problem}</p>}
      <RecordingsList rows={rows} />
    </main>
  );
}
