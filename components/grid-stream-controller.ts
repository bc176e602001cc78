import type { MultipartPart } from '@/lib/mjpeg/multipart-reader';
import { newestFrames, type ReceivedFrame } from '@/lib/mjpeg/received-frame';
import { abortableDelay, readMultipart, RECONNECT_AFTER_END_MS, type StreamEnd } from './read-multipart';

export type TileSink = {
  element: HTMLElement;
  show(frame: ReceivedFrame): void;
  /** The tile left the stream (off screen, tab hidden): it keeps its last frame as a still. */
  pause(): void;
};

const RECONNECT_AFTER_MS = 2_000;
// Scrolling fires many intersection changes; one new connection per settled view is enough.
const SETTLE_MS = 150;

/**
 * The grid's one connection: every visible tile's frames arrive on a single streamed fetch()
 * (the browser allows 6 HTTP/1.1 connections per host, a wall has dozens of tiles). Tiles off
 * screen, and all tiles while the tab is hidden, are left out, so the server stops their cameras.
 */
export class GridStreamController {
  private readonly sinks = new Map<string, TileSink>();
  private readonly visible = new Set<string>();
  private readonly observer: IntersectionObserver;
  private connection: AbortController | undefined;
  private streaming: string[] = [];
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly order: () => readonly string[]) {
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = (entry.target as HTMLElement).dataset.camera;
        if (!id) continue;
        if (entry.isIntersecting) this.visible.add(id);
        else this.visible.delete(id);
      }
      this.schedule();
    }, { rootMargin: '100px' });
    document.addEventListener('visibilitychange', this.schedule);
  }

  register(id: string, sink: TileSink): () => void {
    this.sinks.set(id, sink);
    this.observer.observe(sink.element);
    return () => {
      this.observer.unobserve(sink.element);
      this.sinks.delete(id);
      this.visible.delete(id);
      this.schedule();
    };
  }

  dispose(): void {
    clearTimeout(this.settleTimer);
    this.connection?.abort();
    this.observer.disconnect();
    document.removeEventListener('visibilitychange', this.schedule);
  }

  private readonly schedule = (): void => {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.reconnect(), SETTLE_MS);
  };

  private reconnect(): void {
    const wanted =
      document.visibilityState === 'hidden' ? [] : this.order().filter((id) => this.visible.has(id) && this.sinks.has(id));
    if (wanted.join(',') === this.streaming.join(',')) return;
    for (const id of this.streaming) if (!wanted.includes(id)) this.sinks.get(id)?.pause();
    this.connection?.abort();
    this.streaming = wanted;
    this.connection = undefined;
    if (wanted.length === 0) return;
    const connection = new AbortController();
    this.connection = connection;
    void this.run(wanted, connection.signal);
  }

  private async run(ids: readonly string[], signal: AbortSignal): Promise<void> {
    const url = `/api/grid/stream?cameras=${encodeURIComponent(ids.join(','))}`;
    while (!signal.aborted) {
      let end: StreamEnd | 'failed' = 'failed';
      try {
        end = await readMultipart(url, signal, (parts) => this.deliver(parts));
      } catch {
        // The server restarted or the network dropped; try again.
      }
      // A clean end: every camera of this connection is gone (a camera that changes is followed on
      // the same connection by the server). Come back at once with the tiles there are then.
      await abortableDelay(end === 'ended' ? RECONNECT_AFTER_END_MS : RECONNECT_AFTER_MS, signal);
    }
  }

  private deliver(parts: readonly MultipartPart[]): void {
    for (const frame of newestFrames(parts)) if (frame.cameraId) this.sinks.get(frame.cameraId)?.show(frame);
  }
}
