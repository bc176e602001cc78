'use client';

import { useEffect, useState } from 'react';
import type { EventJson } from '@/lib/events/event-json';
import { MAX_LIMIT } from '@/lib/events/list-limits';
import type { Span } from '@/lib/recording/types';
import type { Day } from './local-day';

export type Recorded = { spans: Span[]; events: EventJson[]; problem: string | undefined; loaded: boolean };

// Footage grows while the recorder writes: the day's spans and events are asked for again this often.
const REFRESH_MS = 30_000;
const DAY_MS = 24 * 3_600_000;

async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, cache: 'no-store' });
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

/**
 * The camera's recorded spans and motion events for the shown day. Spans reach a day further, so
 * that playback carries on past midnight; events are the day's, for the timeline and for
 * previous/next.
 */
export function useRecorded(camera: string, day: Day): Recorded {
  const [recorded, setRecorded] = useState<Recorded>({ spans: [], events: [], problem: undefined, loaded: false });
  useEffect(() => {
    const controller = new AbortController();
    const load = async () => {
      const id = encodeURIComponent(camera);
      const [spans, events] = await Promise.allSettled([
        getJson<{ spans: Span[] }>(`/api/recordings/${id}?from=${day.start}&to=${day.end + DAY_MS}`, controller.signal),
        getJson<{ events: EventJson[] }>(`/api/events?camera=${id}&from=${day.start}&to=${day.end}&limit=${MAX_LIMIT}`, controller.signal),
      ]);
      if (controller.signal.aborted) return;
      const problems = [
        spans.status === 'rejected' && `Recordings: ${(spans.reason as Error).message}`,
        events.status === 'rejected' && `Events: ${(events.reason as Error).message}`,
      ].filter(Boolean);
      setRecorded((current) => ({
        spans: spans.status === 'fulfilled' ? spans.value.spans : current.spans,
        events: events.status === 'fulfilled' ? events.value.events : current.events,
        problem: problems.length ? problems.join(' · ') : undefined,
        loaded: true,
      }));
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [camera, day.start, day.end]);
  return recorded;
}

/** The camera's newest footage within the last week, for opening the page without ?at=. */
export async function latestSpans(camera: string, now: number, signal: AbortSignal): Promise<Span[]> {
  const body = await getJson<{ spans: Span[] }>(`/api/recordings/${encodeURIComponent(camera)}?from=${now - 7 * DAY_MS}&to=${now}`, signal);
  return body.spans;
}
