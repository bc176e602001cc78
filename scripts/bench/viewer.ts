import { request, type IncomingMessage } from 'node:http';
import net from 'node:net';
import { boundaryFromContentType, MultipartReader, type MultipartPart } from '../../lib/mjpeg/multipart-reader';
import type { FrameArrival } from './viewer-stats';

export type ViewerOptions = {
  /** Read at most this many frames per second: after each frame, read nothing for the rest of its interval. */
  readFps?: number;
  /**
   * Connect from this local port, over a plain socket read as fast as bytes come: the port a slow
   * link is shaped for (scripts/bench/own-network.ts), as a phone on poor Wi-Fi gets its bytes.
   */
  localPort?: number;
  /** Keep every frame's JPEG (for decoding what it shows afterwards). */
  keepJpegs?: boolean;
};

/**
 * One viewer on its own TCP connection (no keep-alive agent), reading the MJPEG stream as a player
 * would: parses the parts, checks each is a whole JPEG of its Content-Length, notes when it came.
 */
export class Viewer {
  readonly arrivals: FrameArrival[] = [];
  readonly jpegs: Buffer[] = [];
  readonly openedAt = Date.now();
  invalid = 0;
  error: string | undefined;
  private readonly done: Promise<void>;
  private closed = false;
  private stop: () => void = () => {};

  constructor(url: string, private readonly options: ViewerOptions = {}) {
    this.done = options.localPort ? this.openFromPort(url, options.localPort) : this.open(url);
  }

  private open(url: string): Promise<void> {
    return new Promise((resolve) => {
      const outgoing = request(url, { agent: false }, (response) => {
        const boundary = boundaryFromContentType(response.headers['content-type'] ?? null);
        if (response.statusCode !== 200 || !boundary) {
          this.error = `HTTP ${response.statusCode}`;
          response.resume();
          resolve();
          return;
        }
        const reader = new MultipartReader(boundary);
        response.on('data', (chunk: Buffer) => {
          for (const part of reader.push(chunk)) {
            this.note(part);
            if (this.options.readFps) this.pauseAfterFrame(response, this.options.readFps);
          }
        });
        response.on('end', resolve);
        response.on('close', resolve);
        response.on('error', () => resolve());
      });
      this.stop = () => outgoing.destroy();
      outgoing.on('error', (error) => {
        if (!this.closed) this.error = error.message;
        resolve();
      });
      outgoing.end();
    });
  }

  /**
   * The same request over a plain socket from a given local port. HTTP/1.0, so that the body comes
   * without chunked encoding.
   */
  private openFromPort(url: string, localPort: number): Promise<void> {
    const { hostname, port, pathname, search } = new URL(url);
    return new Promise((resolve) => {
      const socket = net.connect({ port: Number(port), host: hostname, localPort });
      this.stop = () => socket.destroy();
      socket.once('connect', () => socket.write(`GET ${pathname}${search} HTTP/1.0\r\nHost: ${hostname}:${port}\r\n\r\n`));
      let head = Buffer.alloc(0);
      let reader: MultipartReader | undefined;
      // When the first bytes of the part being read came. Paced parts never share a read with the
      // end of the part before; unpaced ones may, and then this is at most one read late.
      let partStartedAt: number | undefined;
      socket.on('data', (chunk: Buffer) => {
        partStartedAt ??= Date.now();
        if (!reader) {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          const headers = head.subarray(0, end).toString('latin1');
          const boundary = boundaryFromContentType(/^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? null);
          if (!/^HTTP\/1\.\d 200/.test(headers) || !boundary) {
            this.error = headers.split('\r\n')[0];
            socket.destroy();
            return;
          }
          reader = new MultipartReader(boundary);
          chunk = head.subarray(end + 4);
        }
        for (const part of reader.push(chunk)) {
          this.note(part, partStartedAt);
          partStartedAt = undefined;
        }
      });
      socket.on('close', () => resolve());
      socket.on('error', (error) => {
        if (!this.closed) this.error = error.message;
      });
    });
  }

  private note(part: MultipartPart, firstByteAt?: number): void {
    if (part.headers['x-frame-still']) return;
    const body = part.body;
    const whole = body.length > 4 && body[0] === 0xff && body[1] === 0xd8 && body.at(-2) === 0xff && body.at(-1) === 0xd9;
    if (!whole || Number(part.headers['content-length']) !== body.length) this.invalid += 1;
    this.arrivals.push({ arrivedAt: Date.now(), capturedAt: Number(part.headers['x-frame-timestamp']), ...(firstByteAt === undefined ? {} : { firstByteAt }) });
    if (this.options.keepJpegs) this.jpegs.push(Buffer.from(body));
  }

  private pauseAfterFrame(response: IncomingMessage, readFps: number): void {
    response.pause();
    setTimeout(() => response.resume(), 1000 / readFps).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await Promise.race([this.done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  }
}
