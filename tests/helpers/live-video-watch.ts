import { boundaryFromContentType, MultipartReader } from '@/lib/mjpeg/multipart-reader';

export type LiveVideoWatch = {
  /** Video frames received so far. */
  frames(): number;
  /** The longest wait between two frames so far, counting the wait since the last one until now. */
  longestGapMs(): number;
  /** Why the stream ended early, if it did (the server closed it, an error). */
  ended(): string | undefined;
  stop(): Promise<void>;
};

/**
 * A viewer that stays on a camera's live video (`/api/cameras/<id>/video`, the parts the page's
 * player gets) and notes when each frame arrives, so that a test can say whether live viewing ever
 * stalled while something else (the disk, a reload) went wrong.
 */
export async function watchLiveVideo(serverUrl: string, camera: string, firstFrameTimeoutMs = 20_000): Promise<LiveVideoWatch> {
  const abort = new AbortController();
  const response = await fetch(`${serverUrl}/api/cameras/${camera}/video`, { signal: abort.signal });
  const boundary = boundaryFromContentType(response.headers.get('content-type'));
  if (!response.ok || !boundary || !response.body) throw new Error(`no live video for ${camera}: ${response.status} ${response.headers.get('content-type')}`);
  const reader = response.body.getReader();
  const multipart = new MultipartReader(boundary);
  let frames = 0;
  let lastAt = 0;
  let longest = 0;
  let endedWhy: string | undefined;
  let stoppedAt: number | undefined;
  let gotFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => (gotFirst = resolve));

  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        endedWhy = 'the server ended the stream';
        return;
      }
      const now = Date.now();
      for (const part of multipart.push(value)) {
        if (part.headers['x-video'] !== 'fragment') continue;
        if (frames > 0) longest = Math.max(longest, now - lastAt);
        frames += 1;
        lastAt = now;
        gotFirst();
      }
    }
  })().catch((error: Error) => {
    if (!abort.signal.aborted) endedWhy = error.message;
  });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no live frame of ${camera} within ${firstFrameTimeoutMs} ms`)), firstFrameTimeoutMs);
  });
  try {
    await Promise.race([first, timeout]);
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    frames: () => frames,
    longestGapMs: () => Math.max(longest, (endedWhy ? lastAt : (stoppedAt ?? Date.now())) - lastAt),
    ended: () => endedWhy,
    stop: async () => {
      stoppedAt ??= Date.now();
      abort.abort();
      await reading;
    },
  };
}
