import { request, type IncomingMessage } from 'node:http';
import { boundaryFromContentType, MultipartReader } from '../../lib/mjpeg/multipart-reader';
import type { FrameArrival } from './viewer-stats';

export type ViewerOptions = {
  /** Read at most this many frames per second (a slow viewer); unlimited when absent. */
  readFps?: number;
};

/**
 * One viewer on its own TCP connection (no keep-alive agent), reading the MJPEG stream as a player
 * would: parses the parts, checks each is a whole JPEG of its Content-Length, notes when it came.
 */
export class Viewer {
  readonly arrivals: FrameArrival[] = [];
  readonly openedAt = Date.now();
  invalid = 0;
  error: string | undefined;
  private response: IncomingMessage | undefined;
  private outgoing: ReturnType<typeof request> | undefined;
  private readonly done: Promise<void>;
  private closed = false;

  constructor(url: string, options: ViewerOptions = {}) {
    this.done = new Promise((resolve) => {
      const outgoing = request(url, { agent: false }, (response) => {
        this.response = response;
        const boundary = boundaryFromContentType(response.headers['content-type'] ?? null);
        if (response.statusCode !== 200 || !boundary) {
          this.error = `HTTP ${response.statusCode}`;
          response.resume();
          resolve();
          return;
        }
        const reader = new MultipartReader(boundary);
        const onParts = (chunk: Buffer) => {
          for (const part of reader.push(chunk)) {
            if (part.headers['x-frame-still']) continue;
            const body = part.body;
            const whole = body.length > 4 && body[0] === 0xff && body[1] === 0xd8 && body.at(-2) === 0xff && body.at(-1) === 0xd9;
            if (!whole || Number(part.headers['content-length']) !== body.length) this.invalid += 1;
            this.arrivals.push({ arrivedAt: Date.now(), capturedAt: Number(part.headers['x-frame-timestamp']) });
            if (options.readFps) this.throttle(response, options.readFps);
          }
        };
        response.on('data', onParts);
        response.on('end', resolve);
        response.on('close', resolve);
        response.on('error', () => resolve());
      });
      this.outgoing = outgoing;
      outgoing.on('error', (error) => {
        if (!this.closed) this.error = error.message;
        resolve();
      });
      outgoing.end();
    });
  }

  /** A slow reader: after each frame, stop reading from the socket for the rest of its second. */
  private throttle(response: IncomingMessage, readFps: number): void {
    response.pause();
    setTimeout(() => response.resume(), 1000 / readFps).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.response?.destroy();
    this.outgoing?.destroy();
    await Promise.race([this.done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  }
}
