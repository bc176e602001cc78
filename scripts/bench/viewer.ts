import { request, type IncomingMessage } from 'node:http';
import net from 'node:net';
import { boundaryFromContentType, MultipartReader, type MultipartPart } from '../../lib/mjpeg/multipart-reader';
import { loadSetsockopt } from '../../lib/server/unsent-limit';
import type { FrameArrival } from './viewer-stats';

export type ViewerOptions = {
  /** Read at most this many frames per second: after each frame, read nothing for the rest of its interval. */
  readFps?: number;
  /**
   * A slow link: bytes are taken as they come but no faster than this on average, as a phone on
   * poor Wi-Fi gets them, with a 16 KB receive buffer as the link's only queue. Unlike readFps,
   * nothing piles up on the viewer's side: any backlog builds up at the server.
   */
  linkBytesPerSecond?: number;
  /** Keep every frame's JPEG (for decoding what it shows afterwards). */
  keepJpegs?: boolean;
};

const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
const LINK_RECEIVE_BUFFER_BYTES = 16 * 1024;

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
    this.done = options.linkBytesPerSecond ? this.openOverSlowLink(url, options.linkBytesPerSecond) : this.open(url);
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
   * The same request over a plain socket, so that pausing it really stops reading (Node's HTTP
   * client resumes a socket on its own). HTTP/1.0, so that the body comes without chunked encoding.
   */
  private openOverSlowLink(url: string, bytesPerSecond: number): Promise<void> {
    const { hostname, port, pathname, search } = new URL(url);
    return new Promise((resolve) => {
      const socket = net.connect(Number(port), hostname);
      this.stop = () => socket.destroy();
      socket.once('connect', () => {
        capReceiveBuffer(socket, LINK_RECEIVE_BUFFER_BYTES);
        socket.write(`GET ${pathname}${search} HTTP/1.0\r\nHost: ${hostname}:${port}\r\n\r\n`);
      });
      let head = Buffer.alloc(0);
      let reader: MultipartReader | undefined;
      const takeBytes = tokenBucket(socket, bytesPerSecond, () => this.closed);
      socket.on('data', (chunk: Buffer) => {
        takeBytes(chunk.length);
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
        for (const part of reader.push(chunk)) this.note(part);
      });
      socket.on('close', () => resolve());
      socket.on('error', (error) => {
        if (!this.closed) this.error = error.message;
      });
    });
  }

  private note(part: MultipartPart): void {
    if (part.headers['x-frame-still']) return;
    const body = part.body;
    const whole = body.length > 4 && body[0] === 0xff && body[1] === 0xd8 && body.at(-2) === 0xff && body.at(-1) === 0xd9;
    if (!whole || Number(part.headers['content-length']) !== body.length) this.invalid += 1;
    this.arrivals.push({ arrivedAt: Date.now(), capturedAt: Number(part.headers['x-frame-timestamp']) });
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

/** Node cannot set SO_RCVBUF on a TCP socket; the server's optional sockopt package can. */
function capReceiveBuffer(socket: net.Socket, bytes: number): void {
  const loaded = loadSetsockopt();
  if ('missing' in loaded) throw new Error(`cannot cap the receive buffer: ${loaded.missing}`);
  loaded.setsockopt(socket, SOL_SOCKET, SO_RCVBUF, bytes);
}

/** Spends bytes as they are read; while in debt the socket is paused, so the kernel holds the rest. */
function tokenBucket(socket: net.Socket, bytesPerSecond: number, isClosed: () => boolean): (bytes: number) => void {
  let balance = 0;
  let last = Date.now();
  const refill = () => {
    const now = Date.now();
    balance = Math.min(balance + ((now - last) / 1000) * bytesPerSecond, bytesPerSecond / 20);
    last = now;
  };
  const waitMs = () => Math.max(1, Math.ceil((-balance / bytesPerSecond) * 1000));
  const resumeWhenPaidOff = () => {
    if (isClosed()) return;
    refill();
    if (balance >= 0) socket.resume();
    else setTimeout(resumeWhenPaidOff, waitMs()).unref();
  };
  return (bytes) => {
    refill();
    balance -= bytes;
    if (balance < 0 && !socket.isPaused()) {
      socket.pause();
      setTimeout(resumeWhenPaidOff, waitMs()).unref();
    }
  };
}
