export type FrameSize = { width: number; height: number };

/**
 * Draws JPEG frames on a <canvas>, for the grid's tiles and the camera page alike.
 *
 * createImageBitmap decodes off the main thread; an <img> fed blob: URLs decoded on it, and with
 * a wall of tiles the main thread fell behind (README, Benchmark). A picture never queues: one
 * decode in flight and only the newest frame waiting, older waiting frames are dropped, so a slow
 * decoder shows fewer frames but never old ones. The canvas keeps its last frame when frames stop.
 */
export class PictureRenderer {
  private canvas: HTMLCanvasElement | null = null;
  private context: CanvasRenderingContext2D | null = null;
  private waiting: Uint8Array | undefined;
  private decoding = false;
  private drawn: Uint8Array | undefined;

  constructor(private readonly onSizeChange: (size: FrameSize) => void) {}

  attach(canvas: HTMLCanvasElement): void {
    this.canvas = canvas;
    this.context = canvas.getContext('2d');
  }

  /** The canvas left the page: a frame waiting or in decoding is dropped. */
  detach(): void {
    this.canvas = null;
    this.context = null;
    this.waiting = undefined;
  }

  show(jpeg: Uint8Array): void {
    this.waiting = jpeg;
    if (!this.decoding) void this.drain();
  }

  /**
   * Copies a video's picture onto the canvas, at once: a grid tile's <video> goes blank when its
   * player lets go of it (the tile left the stream, or fell back to MJPEG), and the canvas under it
   * keeps the picture as it keeps a JPEG's. Nothing when the video has no picture.
   */
  keep(video: HTMLVideoElement): void {
    const { canvas, context } = this;
    if (!canvas || !context || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !video.videoWidth || !video.videoHeight) return;
    this.waiting = undefined;
    this.resize(canvas, video.videoWidth, video.videoHeight);
    context.drawImage(video, 0, 0);
    this.drawn = undefined;
  }

  /** The JPEG whose picture is on the canvas now (what a snapshot should save). */
  get drawnJpeg(): Uint8Array | undefined {
    return this.drawn;
  }

  private async drain(): Promise<void> {
    this.decoding = true;
    try {
      for (let jpeg = this.waiting; jpeg; jpeg = this.waiting) {
        this.waiting = undefined;
        let bitmap: ImageBitmap;
        try {
          bitmap = await createImageBitmap(new Blob([jpeg as BlobPart], { type: 'image/jpeg' }));
        } catch {
          continue; // a truncated or corrupt frame: the next one replaces it
        }
        try {
          this.draw(bitmap, jpeg);
        } finally {
          bitmap.close();
        }
      }
    } finally {
      this.decoding = false;
    }
  }

  private draw(bitmap: ImageBitmap, jpeg: Uint8Array): void {
    const canvas = this.canvas;
    if (!canvas || !this.context) return;
    this.resize(canvas, bitmap.width, bitmap.height);
    this.context.drawImage(bitmap, 0, 0);
    this.drawn = jpeg;
  }

  private resize(canvas: HTMLCanvasElement, width: number, height: number): void {
    // Setting a canvas's size clears and reallocates it: only when the camera's size changes.
    if (canvas.width === width && canvas.height === height) return;
    canvas.width = width;
    canvas.height = height;
    this.onSizeChange({ width, height });
  }
}
