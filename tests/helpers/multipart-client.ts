import { boundaryFromContentType, MultipartReader, type MultipartPart } from '@/lib/mjpeg/multipart-reader';

export function isCompleteJpeg(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9;
}

/**
 * Reads parts from a multipart response until `count` have arrived, then cancels the body (as a
 * viewer closing the tab would). Rejects if they do not arrive in time.
 */
export async function readParts(response: Response, count: number, timeoutMs = 15_000): Promise<MultipartPart[]> {
  const boundary = boundaryFromContentType(response.headers.get('content-type'));
  if (!boundary || !response.body) throw new Error(`not a multipart response: ${response.headers.get('content-type')}`);
  const reader = response.body.getReader();
  const multipart = new MultipartReader(boundary);
  const parts: MultipartPart[] = [];
  const timer = setTimeout(() => void reader.cancel(new Error('timeout')), timeoutMs);
  try {
    while (parts.length < count) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(...multipart.push(value));
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  if (parts.length < count) throw new Error(`only ${parts.length} of ${count} parts arrived within ${timeoutMs} ms`);
  return parts.slice(0, count);
}

/** A multipart response read part by part, for tests that watch a stream change while it runs. */
export function partStream(response: Response) {
  const boundary = boundaryFromContentType(response.headers.get('content-type'));
  if (!boundary || !response.body) throw new Error(`not a multipart response: ${response.headers.get('content-type')}`);
  const reader = response.body.getReader();
  const multipart = new MultipartReader(boundary);
  const queued: MultipartPart[] = [];
  return {
    async next(timeoutMs = 15_000): Promise<MultipartPart> {
      const deadline = Date.now() + timeoutMs;
      while (queued.length === 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no part within ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no part within ${timeoutMs} ms`)), remaining);
        });
        const { done, value } = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
        if (done) throw new Error('the stream ended');
        queued.push(...multipart.push(value));
      }
      return queued.shift()!;
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
