import type { Socket } from 'node:net';
import { formatRtspRequest } from './rtsp-request';
import { RtspError } from './rtsp-error';
import { RtspStreamParser, type RtspResponse } from './rtsp-stream-parser';

export type RtspConnectionEvents = {
  /** An interleaved frame (RTP or RTCP): a view of the bytes read, valid only during the call. */
  onInterleaved(channel: number, payload: Uint8Array): void;
  /** The connection is gone: closed by the camera (no error), or broken. Called once. */
  onClosed(error: Error | undefined): void;
};

type Pending = { resolve: (response: RtspResponse) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * One TCP connection speaking RTSP (RFC 2326) with RTP interleaved on it: requests numbered by
 * CSeq and answered by the response carrying the same number, interleaved frames handed on as
 * they are read. Knows nothing of what the requests mean.
 */
export class RtspConnection {
  private readonly parser = new RtspStreamParser();
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly events: RtspConnectionEvents,
    private readonly responseTimeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.close(error));
    socket.on('close', () => this.close(undefined));
  }

  /** Sends a request and resolves with its response, whatever its status. */
  request(method: string, url: string, headers: ReadonlyArray<readonly [string, string]> = []): Promise<RtspResponse> {
    if (this.closed) return Promise.reject(new RtspError('the connection is closed'));
    const cseq = ++this.sequence;
    const text = formatRtspRequest(method, url, [['CSeq', String(cseq)], ['User-Agent', 'camdash'], ...headers]);
    return new Promise<RtspResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cseq);
        reject(new RtspError(`the camera did not answer ${method} within ${this.responseTimeoutMs / 1000} s (Connection timed out)`));
      }, this.responseTimeoutMs);
      timer.unref?.();
      this.pending.set(cseq, { resolve, reject, timer });
      this.socket.write(text);
    });
  }

  /** Closes the socket at once; pending requests fail. */
  destroy(): void {
    this.socket.destroy();
    this.close(undefined);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let items;
    try {
      items = this.parser.push(chunk);
    } catch (error) {
      this.socket.destroy();
      this.close(error as Error);
      return;
    }
    for (const item of items) {
      if (item.kind === 'interleaved') this.events.onInterleaved(item.channel, item.payload);
      else if (item.kind === 'response') this.answer(item.response);
      // A request from the camera (rare: SET_PARAMETER, ANNOUNCE) needs nothing from a viewer.
    }
  }

  private answer(response: RtspResponse): void {
    const cseq = Number(response.headers.get('cseq'));
    // Some cameras leave CSeq out of a response: it answers the oldest request.
    const key = this.pending.has(cseq) ? cseq : this.pending.keys().next().value;
    if (key === undefined) return;
    const waiting = this.pending.get(key)!;
    this.pending.delete(key);
    clearTimeout(waiting.timer);
    waiting.resolve(response);
  }

  private close(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(error ?? new RtspError('the camera closed the connection'));
    }
    this.pending.clear();
    this.events.onClosed(error);
  }
}
