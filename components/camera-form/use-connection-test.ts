'use client';

import { useEffect, useRef, useState } from 'react';

export type ConnectionTest =
  | { state: 'idle' }
  | { state: 'testing' }
  | { state: 'ok'; pictureUrl: string; elapsedMs: number }
  | { state: 'failed'; reason: string };

/** "Test connection": asks the server to open the source once; shows its picture or why not. */
export function useConnectionTest() {
  const [result, setResult] = useState<ConnectionTest>({ state: 'idle' });
  const pending = useRef<AbortController | null>(null);

  useEffect(() => {
    if (result.state !== 'ok') return;
    return () => URL.revokeObjectURL(result.pictureUrl);
  }, [result]);
  useEffect(() => () => pending.current?.abort(), []);

  const run = async (body: unknown, cameraId: string | undefined) => {
    pending.current?.abort();
    const controller = new AbortController();
    pending.current = controller;
    setResult({ state: 'testing' });
    try {
      const query = cameraId ? `?camera=${encodeURIComponent(cameraId)}` : '';
      const response = await fetch(`/api/probe${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (response.ok) {
        const pictureUrl = URL.createObjectURL(await response.blob());
        setResult({ state: 'ok', pictureUrl, elapsedMs: Number(response.headers.get('x-probe-ms') ?? 0) });
      } else {
        const failure = (await response.json().catch(() => ({}))) as { reason?: string; errors?: Record<string, string> };
        setResult({ state: 'failed', reason: failure.reason ?? Object.values(failure.errors ?? {})[0] ?? `HTTP ${response.status}` });
      }
    } catch (error) {
      if (!controller.signal.aborted) setResult({ state: 'failed', reason: `the server could not be reached (${(error as Error).message})` });
    }
  };

  return { result, run, reset: () => setResult({ state: 'idle' }) };
}
