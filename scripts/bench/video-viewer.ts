import { request, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { boundaryFromContentType, MultipartReader } from '../../lib/mjpeg/multipart-reader';

/** One fragment (one frame) of a camera's video as a viewer got it. */
export type VideoArrival = { arrivedAt: number; capturedAt: number; bytes: number; keyframe: boolean };

/** What a video viewer has read up to a moment: bytes off its socket and what they carried. */
export type VideoTally = { at: number; wireBytes: number; fragments: number; fragmentBytes: number };

/**
 * One client of GET /api/cameras/<id>/video on its own TCP connection (no keep-alive agent), as a
 * browser's player reads it but with no player: parses the multipart parts, notes each fragment
 * (its body is the camera's fMP4 moof+mdat, as the server received it) and counts every byte its
 * socket read (HTTP head, chunked framing, part headers, boundaries and bodies).
 */
export class VideoViewer {
  readonly arrivals: VideoArrival[] = [];
  readonly openedAt = Date.now();
  inits = 0;
  codec: string | undefined;
  error: string | undefined;
  private socket: Socket | undefined;
  private fragmentBytes = 0;
  private closed = false;
  private readonly outgoing: ClientRequest;
  private readonly done: Promise<void>;

  constructor(url: string) {
    let resolveDone!: () => void;
    this.done = new Promise<void>((resolve) => (resolveDone = resolve));
    this.outgoing = request(url, { agent: false }, (response) => {
      this.socket = response.socket;
      const boundary = boundaryFromContentType(response.headers['content-type'] ?? null);
      if (response.statusCode !== 200 || !boundary) {
        this.error = `HTTP ${response.statusCode}`;
        response.resume();
        resolveDone();
        return;
      }
      const reader = new MultipartReader(boundary);
      response.on('data', (chunk: Buffer) => {
        const now = Date.now();
        for (const part of reader.push(chunk)) {
          const kind = part.headers['x-video'];
          if (kind === 'init') {
            this.inits += 1;
            this.codec = part.headers['x-codec'];
          } else if (kind === 'fragment') {
            this.fragmentBytes += part.body.length;
            this.arrivals.push({ arrivedAt: now, capturedAt: Number(part.headers['x-frame-timestamp']), bytes: part.body.length, keyframe: part.headers['x-keyframe'] === '1' });
          } else if (kind === 'ended') {
            this.error = `ended: ${part.headers['x-reason'] ?? ''}`;
          }
        }
      });
      response.on('close', resolveDone);
      response.on('error', () => resolveDone());
    });
    this.outgoing.on('socket', (socket) => (this.socket = socket));
    this.outgoing.on('error', (error) => {
      if (!this.closed) this.error = error.message;
      resolveDone();
    });
    this.outgoing.end();
  }

  tally(): VideoTally {
    return { at: Date.now(), wireBytes: this.socket?.bytesRead ?? 0, fragments: this.arrivals.length, fragmentBytes: this.fragmentBytes };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.outgoing.destroy();
    await Promise.race([this.done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  }
}

/** What one viewer read between two tallies, per second. */
export function between(before: VideoTally, after: VideoTally): { seconds: number; wireBitsPerSecond: number; fragmentBitsPerSecond: number; fps: number } {
  const seconds = (after.at - before.at) / 1000;
  return {
    seconds,
    wireBitsPerSecond: ((after.wireBytes - before.wireBytes) * 8) / seconds,
    fragmentBitsPerSecond: ((after.fragmentBytes - before.fragmentBytes) * 8) / seconds,
    fps: (after.fragments - before.fragments) / seconds,
  };
}
