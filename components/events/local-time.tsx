'use client';

import { useHydrated } from './use-hydrated';

const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An instant in the browser's time zone and locale; UTC in the server's render, until the page runs. */
export function LocalTime({ ms, className }: { ms: number; className?: string }) {
  const hydrated = useHydrated();
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} className={className}>
      {hydrated ? FORMAT.format(ms) : `${iso.slice(0, 19).replace('T', ' ')} UTC`}
    </time>
  );
}
