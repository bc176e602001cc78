/**
 * Where a multipart response's parts come from. Synchronous on purpose: a live viewer that keeps
 * up is written to from the camera's own delivery of each frame, without a promise or an async
 * step per frame per viewer (each of which Node 20 tracks for AsyncLocalStorage, which Next uses).
 */
export type PartSource = {
  /** The next part if one is ready; null once the stream has ended; undefined while none is. */
  take(): Uint8Array | null | undefined;
  /** Calls `ready` once, when `take` may give something; only after `take` gave undefined. */
  onReady(ready: () => void): void;
};

/** A source over an async producer (a stream whose parts are promised, such as the MJPEG slot's). */
export function asyncPartSource(nextPart: () => Promise<Uint8Array | null>): PartSource {
  let ready: { part: Uint8Array | null } | undefined;
  return {
    take() {
      const taken = ready;
      ready = undefined;
      return taken?.part;
    },
    onReady(wake) {
      void nextPart().then(
        (part) => {
          ready = { part };
          wake();
        },
        () => {
          ready = { part: null };
          wake();
        },
      );
    },
  };
}

/** The source's parts as promises, for a body that is pulled. */
export function nextPartOf(source: PartSource): () => Promise<Uint8Array | null> {
  return () =>
    new Promise((resolve) => {
      const attempt = () => {
        const part = source.take();
        if (part === undefined) source.onReady(attempt);
        else resolve(part);
      };
      attempt();
    });
}
