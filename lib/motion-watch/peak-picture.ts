import type { Capture } from '../capture/capture';
import type { LatestFrameSlot } from '../capture/latest-frame-slot';

/**
 * The full-size picture of an event's peak. The detector sees only a small grey picture, so while
 * an event goes on this holds the camera's full MJPEG stream (for an RTSP camera the transcoder
 * then runs; between events it costs nothing) and keeps the first JPEG taken at or after the
 * moment of the latest peak.
 */
export class PeakPicture {
  private slot: LatestFrameSlot | undefined;
  private wantedFrom: number | undefined;
  private picked: { jpeg: Buffer; at: number } | undefined;
  private newest: { jpeg: Buffer; at: number } | undefined;

  constructor(
    private readonly capture: Pick<Capture, 'subscribe' | 'unsubscribe'>,
    /** Hears of each picture picked: the event's snapshot is then this one. */
    private readonly onPicked: (jpeg: Buffer, at: number) => void,
  ) {}

  /** The event started, or its peak moved to `at`: the next picture at or after it is the one. */
  peakAt(at: number): void {
    this.slot ??= this.watch();
    this.wantedFrom = at;
    // The transcoder may already have made it (a peak is known only after its frame was seen).
    if (this.newest && this.newest.at >= at) this.pick(this.newest);
  }

  /** The event ended: the full stream is let go. */
  release(): void {
    const slot = this.slot;
    this.slot = undefined;
    this.wantedFrom = undefined;
    this.newest = undefined;
    if (slot) this.capture.unsubscribe(slot);
  }

  get picture(): { jpeg: Buffer; at: number } | undefined {
    return this.picked;
  }

  /** Forgets the last event's picture: the next event starts without one. */
  reset(): void {
    this.release();
    this.picked = undefined;
  }

  private watch(): LatestFrameSlot {
    const slot = this.capture.subscribe('main');
    void (async () => {
      for (let frame = await slot.next(); frame; frame = await slot.next()) {
        if (frame.still) continue;
        this.newest = { jpeg: frame.jpeg, at: frame.capturedAt };
        if (this.wantedFrom !== undefined && frame.capturedAt >= this.wantedFrom) this.pick(this.newest);
      }
    })();
    return slot;
  }

  private pick(picture: { jpeg: Buffer; at: number }): void {
    this.wantedFrom = undefined;
    this.picked = picture;
    this.onPicked(picture.jpeg, picture.at);
  }
}
