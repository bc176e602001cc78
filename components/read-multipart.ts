import { boundaryFromContentType, MultipartReader, type MultipartPart } from '@/lib/mjpeg/multipart-reader';

/**
 * How a stream stopped: `ended` when the server closed it (its camera was removed or changed in
 * cameras.json: worth reconnecting at once), `refused` when it never started.
 */
export type StreamEnd = 'ended' | 'refused';

/** Soon enough not to be noticed, late enough that a server ending every stream at once is not hammered. */
export const RECONNECT_AFTER_END_MS = 250;

/**
 * Reads a multipart stream with fetch() until it ends or `signal` aborts; each chunk's parts are
 * handed over together, so the caller can skip all but the newest frame of each camera.
 */
export async function readMultipart(url: string, signal: AbortSignal, onParts: (parts: MultipartPart[]) => void): Promise<StreamEnd> {
  const response = await fetch(url, { signal, cache: 'no-store' });
  const boundary = boundaryFromContentType(response.headers.get('content-type'));
  if (!response.ok || !response.body || !boundary) {
    await response.body?.cancel();
    return 'refused';
  }
  const reader = response.body.getReader();
  const multipart = new MultipartReader(boundary);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return 'ended';
    const parts = multipart.push(value);
    if (parts.length > 0) onParts(parts);
  }
}

export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
