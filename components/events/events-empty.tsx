import Link from 'next/link';

/** No events: either the filters leave none, or no camera has motion detection on yet. */
export function EventsEmpty({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <div data-events-empty="filtered" className="rounded-lg border border-neutral-800 p-6 text-center text-sm text-neutral-400">
        No events match these filters.{' '}
        <Link href="/events" className="text-sky-400 hover:underline">
          Show all events
        </Link>
      </div>
    );
  }
  return (
    <div data-events-empty="none" className="rounded-lg border border-neutral-800 p-6 text-sm text-neutral-300">
      <p className="font-medium text-neutral-100">No motion events yet.</p>
      <p className="mt-2">
        Events are recorded for cameras with motion detection on. Turn it on for a camera by adding{' '}
        <code className="rounded bg-neutral-800 px-1 py-0.5 font-mono text-xs">&quot;motion&quot;: true</code> to its entry in{' '}
        <code className="rounded bg-neutral-800 px-1 py-0.5 font-mono text-xs">cameras.json</code>; the change applies while camdash runs, and
        the camera is then watched even when nobody looks at it.
      </p>
      <pre className="mt-3 overflow-x-auto rounded bg-neutral-950 p-3 font-mono text-xs text-neutral-400">
        {'{ "id": "driveway", "name": "Driveway", "source": "rtsp://…", "motion": true }'}
      </pre>
    </div>
  );
}
