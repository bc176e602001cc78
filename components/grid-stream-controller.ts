import type { MultipartPart } from '@/lib/mjpeg/multipart-reader';
import type { ReceivedFrame } from '@/lib/mjpeg/received-frame';
import { sortGridParts } from './grid-parts';
import { abortableDelay, readMultipart, RECONNECT_AFTER_END_MS, type StreamEnd } from './read-multipart';

export type TileSink = {
  element: HTMLElement;
  /** Whether the tile asks for its camera's own video (it has one, and has not fallen back from it); asked at each connect. */
  playsVideo(): boolean;
  /** A JPEG frame of the camera. */
  show(frame: ReceivedFrame): void;
  /** A part of the camera's video: every one, in order. */
  play(part: MultipartPart): void;
  /** The server sent JPEG frames for a camera whose video this connection asked for: it has none to give. */
  refusedVideo(): void;
  /** The tile left the stream (off screen, tab hidden): it keeps its last frame as a still. */
  pause(): void;
  /** The connection broke (the server restarted, the network dropped): the picture stays, and frames not coming now are no stall. */
  interrupted(): void;
};

const RECONNECT_AFTER_MS = 2_000;
// Scrolling fires many intersection changes; one new connection per settled view is enough.
const SETTLE_MS = 150;

export function gridStreamUrl(ids: readonly string[], video: readonly string[]): string {
  const query = `cameras=${encodeURIComponent(ids.join(','))}`;
  return `/api/grid/stream?${video.length > 0 ? `${query}&video=${encodeURIComponent(video.join(','))}` : query}`;
}

/**
 * The grid's one connection: every visible tile's frames arrive on a single streamed fetch()
 * (the browser allows 6 HTTP/1.1 connections per host, a wall has dozens of tiles). Tiles off
 * screen, and all tiles while the tab is hidden, are left out, so the server stops their cameras.
 * Tiles that play their camera's own video are named in `video=`: they get its parts, the others JPEG.
 */
export class GridStreamController {
  private readonly sinks = new Map<string, TileSink>();
  private readonly visible = new Set<string>();
  private readonly observer: IntersectionObserver;
  private connection: AbortController | undefined;
  private streaming: string[] = [];
  private streamingUrl: string | undefined;
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

  /** A tile now wants video or JPEG instead (it fell back): the connection follows, settled as for scrolling. */
  update(): void {
    this.schedule();
  }

  /** A tile got video frames without the init they need: a new connection starts each camera with its init. */
  resync(): void {
    this.streamingUrl = undefined;
    this.schedule();
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
    const video = wanted.filter((id) => this.sinks.get(id)?.playsVideo());
    const url = wanted.length > 0 ? gridStreamUrl(wanted, video) : undefined;
    if (url === this.streamingUrl) return;
    for (const id of this.streaming) if (!wanted.includes(id)) this.sinks.get(id)?.pause();
    this.connection?.abort();
    this.streaming = wanted;
    this.streamingUrl = url;
    this.connection = undefined;
    if (url === undefined) return;
    const connection = new AbortController();
    this.connection = connection;
    void this.run(url, new Set(video), connection.signal);
  }

  private async run(url: string, video: ReadonlySet<string>, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let end: StreamEnd | 'failed' = 'failed';
      try {
        end = await readMultipart(url, signal, (parts) => this.deliver(parts, video));
      } catch {
        // The server restarted or the network dropped; try again.
      }
      if (signal.aborted) return;
      for (const id of video) this.sinks.get(id)?.interrupted();
      // A clean end: every camera of this connection is gone (a camera that changes is followed on
      // the same connection by the server). Come back at once with the tiles there are then.
      await abortableDelay(end === 'ended' ? RECONNECT_AFTER_END_MS : RECONNECT_AFTER_MS, signal);
    }
  }

  private deliver(parts: readonly MultipartPart[], video: ReadonlySet<string>): void {
    const sorted = sortGridParts(parts);
    for (const part of sorted.video) {
      const id = part.headers['x-camera'];
      if (id) this.sinks.get(id)?.play(part);
    }
    for (const frame of sorted.frames) {
      const sink = frame.cameraId ? this.sinks.get(frame.cameraId) : undefined;
      if (!sink || !frame.cameraId) continue;
      if (video.has(frame.cameraId)) sink.refusedVideo();
      sink.show(frame);
    }
  }
}
