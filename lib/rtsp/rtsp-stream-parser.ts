/**
 * Cuts what an RTSP client reads from its TCP connection into items, whatever the chunking: the
 * server's responses, requests it sends of its own accord (SET_PARAMETER, ANNOUNCE…), and the
 * interleaved binary frames of RFC 2326 §10.12 (`$`, channel, 16-bit length, payload) that carry
 * RTP and RTCP once PLAY has started. Pure: no IO, no timers, no Node APIs.
 *
 * The interleaved path runs for every RTP packet of every camera, so it is kept cheap: a frame
 * wholly inside a pushed chunk comes out as a view of that chunk (no copy), a frame cut by a chunk
 * boundary is copied once into a buffer of its declared size, and a chunk that completes nothing
 * returns one shared empty array. Views are only as stable as the chunk: a caller that reuses its
 * read buffer must copy what it keeps. Response bodies are rare and are always copied.
 *
 * Bytes that fit none of the three are fatal rather than skipped: the stream has no sync marker
 * (`$` and letters also occur inside RTP payloads), so once out of step there is no safe way back.
 * The parser then throws the same RtspError on every push until reset(), which is for a new
 * connection. Items completed earlier in the failing chunk are lost with it.
 */
import { RtspError } from './rtsp-error';

export type RtspResponse = { status: number; reason: string; headers: RtspHeaders; body: Uint8Array };

export type RtspItem =
  | { kind: 'response'; response: RtspResponse }
  // The client does not answer these, but must step over them and their body to stay in step.
  | { kind: 'request'; method: string; headers: RtspHeaders }
  | { kind: 'interleaved'; channel: number; payload: Uint8Array };

/** Header fields in arrival order; names compare case-insensitively, as RFC 2326 §4.2 says. */
export class RtspHeaders {
  private readonly fields: ReadonlyArray<readonly [string, string]>;

  constructor(fields: Iterable<readonly [string, string]> = []) {
    // Lower-cased once here, so that every lookup is a plain comparison.
    this.fields = Array.from(fields, ([name, value]) => [name.toLowerCase(), value] as const);
  }

  /** The first value of the field, or undefined when absent. */
  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [fieldName, value] of this.fields) if (fieldName === wanted) return value;
    return undefined;
  }

  /** Every value of a repeated field (WWW-Authenticate offering Digest and Basic), in order. */
  all(name: string): string[] {
    const wanted = name.toLowerCase();
    const values: string[] = [];
    for (const [fieldName, value] of this.fields) if (fieldName === wanted) values.push(value);
    return values;
  }
}

export const MAX_HEADER_BLOCK_BYTES = 64 * 1024;
export const MAX_BODY_BYTES = 1024 * 1024;

// Frozen so that a caller pushing into "its" result gets a TypeError instead of corrupting every
// later empty result.
const NO_ITEMS = Object.freeze([]) as unknown as RtspItem[];
const EMPTY_BYTES = new Uint8Array(0);

const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const FRAME_HEADER_BYTES = 4;

const BETWEEN_ITEMS = 0;
const IN_FRAME_HEADER = 1;
const IN_FRAME_PAYLOAD = 2;
const IN_HEAD = 3;
const IN_BODY = 4;
type State = typeof BETWEEN_ITEMS | typeof IN_FRAME_HEADER | typeof IN_FRAME_PAYLOAD | typeof IN_HEAD | typeof IN_BODY;

type Head =
  | { kind: 'response'; status: number; reason: string; headers: RtspHeaders }
  | { kind: 'request'; method: string; headers: RtspHeaders };

const STATUS_LINE = /^RTSP\/1\.0 (\d{3})(?: (.*))?$/;
const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9_-]*) (\S+) RTSP\/1\.0$/;
const headDecoder = new TextDecoder();

export class RtspStreamParser {
  private state: State = BETWEEN_ITEMS;
  // Where the current push's chunk starts in the stream, for error messages.
  private streamOffset = 0;
  private failure: RtspError | undefined;

  private readonly frameHeader = new Uint8Array(FRAME_HEADER_BYTES);
  private frameHeaderLength = 0;
  private frameChannel = 0;
  private frame: Uint8Array = EMPTY_BYTES;
  private frameFilled = 0;

  // Only a head cut by a chunk boundary is gathered here; one inside a chunk is read in place.
  private head: Uint8Array = EMPTY_BYTES;
  private headLength = 0;
  private headStartOffset = 0;
  // Bytes on the head's current line so far, CRs aside: a line that ends with none ends the head.
  private lineLength = 0;

  // Set by a reader that finished an item; a field rather than a returned pair, so that a frame
  // cut by a chunk boundary costs no extra allocation.
  private completed: RtspItem | undefined;
  private pending: Head | undefined;
  // undefined while stepping over a request's body, which nobody reads.
  private body: Uint8Array | undefined;
  private bodyLength = 0;
  private bodyFilled = 0;

  /** Feeds a chunk; returns the items it completed, in stream order. Throws RtspError on bytes that are not RTSP. */
  push(chunk: Uint8Array): RtspItem[] {
    if (this.failure) throw this.failure;
    let items: RtspItem[] | undefined;
    const end = chunk.length;
    let at = 0;
    while (at < end) {
      if (this.state === BETWEEN_ITEMS) {
        const first = chunk[at]!;
        if (first === DOLLAR) {
          const payloadStart = at + FRAME_HEADER_BYTES;
          if (payloadStart <= end) {
            const payloadEnd = payloadStart + ((chunk[at + 2]! << 8) | chunk[at + 3]!);
            if (payloadEnd <= end) {
              (items ??= []).push({ kind: 'interleaved', channel: chunk[at + 1]!, payload: chunk.subarray(payloadStart, payloadEnd) });
              at = payloadEnd;
              continue;
            }
          }
          this.state = IN_FRAME_HEADER;
          this.frameHeaderLength = 0;
        } else if (first === CR || first === LF) {
          // Some servers end a message with one CRLF too many; HTTP tolerates the same.
          at += 1;
        } else {
          this.startHead(first, at);
        }
        continue;
      }

      if (this.state === IN_FRAME_HEADER) at = this.readFrameHeader(chunk, at);
      else if (this.state === IN_FRAME_PAYLOAD) at = this.readFramePayload(chunk, at);
      else if (this.state === IN_HEAD) at = this.readHead(chunk, at);
      else at = this.readBody(chunk, at);
      if (this.completed) {
        (items ??= []).push(this.completed);
        this.completed = undefined;
      }
    }
    this.streamOffset += end;
    return items ?? NO_ITEMS;
  }

  /** Bytes held of an item not yet complete: non-zero when a connection ends mid-item. */
  get bufferedBytes(): number {
    if (this.state === IN_FRAME_HEADER) return this.frameHeaderLength;
    if (this.state === IN_FRAME_PAYLOAD) return FRAME_HEADER_BYTES + this.frameFilled;
    if (this.state === IN_HEAD) return this.headLength;
    if (this.state === IN_BODY) return this.bodyFilled;
    return 0;
  }

  /** Forgets any partial item and any failure, for a new connection. */
  reset(): void {
    this.state = BETWEEN_ITEMS;
    this.streamOffset = 0;
    this.failure = undefined;
    this.frameHeaderLength = 0;
    this.frame = EMPTY_BYTES;
    this.frameFilled = 0;
    this.head = EMPTY_BYTES;
    this.headLength = 0;
    this.lineLength = 0;
    this.completed = undefined;
    this.pending = undefined;
    this.body = undefined;
    this.bodyLength = 0;
    this.bodyFilled = 0;
  }

  // Status and request lines start with a letter ('R' of RTSP/1.0, or a method); checking that
  // much at once catches most garbage here instead of after a 64 KB header block.
  private startHead(first: number, at: number): void {
    const isLetter = (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a);
    if (!isLetter) {
      this.fail(
        `byte 0x${first.toString(16).padStart(2, '0')} at stream offset ${this.streamOffset + at} is neither '$' (an interleaved frame) ` +
          'nor the start of an RTSP response or request: the connection is out of step or not RTSP',
      );
    }
    this.state = IN_HEAD;
    this.headLength = 0;
    this.lineLength = 0;
    this.headStartOffset = this.streamOffset + at;
  }

  private readFrameHeader(chunk: Uint8Array, at: number): number {
    const take = Math.min(FRAME_HEADER_BYTES - this.frameHeaderLength, chunk.length - at);
    this.frameHeader.set(chunk.subarray(at, at + take), this.frameHeaderLength);
    this.frameHeaderLength += take;
    at += take;
    if (this.frameHeaderLength < FRAME_HEADER_BYTES) return at;

    const channel = this.frameHeader[1]!;
    const length = (this.frameHeader[2]! << 8) | this.frameHeader[3]!;
    // Only the header was cut: the payload can still be a view of this chunk.
    if (at + length <= chunk.length) {
      this.state = BETWEEN_ITEMS;
      this.completed = { kind: 'interleaved', channel, payload: chunk.subarray(at, at + length) };
      return at + length;
    }
    this.state = IN_FRAME_PAYLOAD;
    this.frameChannel = channel;
    this.frame = new Uint8Array(length);
    this.frameFilled = 0;
    return at;
  }

  private readFramePayload(chunk: Uint8Array, at: number): number {
    const take = Math.min(this.frame.length - this.frameFilled, chunk.length - at);
    this.frame.set(chunk.subarray(at, at + take), this.frameFilled);
    this.frameFilled += take;
    at += take;
    if (this.frameFilled < this.frame.length) return at;

    const payload = this.frame;
    this.frame = EMPTY_BYTES;
    this.state = BETWEEN_ITEMS;
    this.completed = { kind: 'interleaved', channel: this.frameChannel, payload };
    return at;
  }

  private readHead(chunk: Uint8Array, at: number): number {
    // Never scan past the cap, so a flood of garbage letters fails without being read in full.
    const scanEnd = Math.min(chunk.length, at + MAX_HEADER_BLOCK_BYTES - this.headLength);
    let lineLength = this.lineLength;
    let headEnd = -1;
    for (let i = at; i < scanEnd; i++) {
      const byte = chunk[i]!;
      if (byte === LF) {
        if (lineLength === 0) {
          headEnd = i + 1;
          break;
        }
        lineLength = 0;
      } else if (byte !== CR) {
        // Text never holds control bytes; RTP does. Failing here finds an out-of-step stream fast.
        if ((byte < 0x20 && byte !== TAB) || byte === 0x7f) this.failNotText(byte, this.streamOffset + i);
        lineLength += 1;
      }
    }
    this.lineLength = lineLength;

    if (headEnd < 0) {
      if (scanEnd < chunk.length) this.fail(`the header block starting at stream offset ${this.headStartOffset} is over ${MAX_HEADER_BLOCK_BYTES} bytes`);
      this.appendToHead(chunk.subarray(at, scanEnd));
      return scanEnd;
    }

    let headBytes: Uint8Array;
    if (this.headLength === 0) {
      headBytes = chunk.subarray(at, headEnd);
    } else {
      this.appendToHead(chunk.subarray(at, headEnd));
      headBytes = this.head.subarray(0, this.headLength);
    }
    this.headLength = 0;
    this.startBody(this.parseHead(headDecoder.decode(headBytes)));
    return headEnd;
  }

  // Grows by doubling, so a head arriving a byte at a time is not copied anew for every byte.
  private appendToHead(bytes: Uint8Array): void {
    const needed = this.headLength + bytes.length;
    if (needed > this.head.length) {
      const grown = new Uint8Array(Math.min(MAX_HEADER_BLOCK_BYTES, Math.max(needed, 2 * this.head.length, 1024)));
      grown.set(this.head.subarray(0, this.headLength));
      this.head = grown;
    }
    this.head.set(bytes, this.headLength);
    this.headLength = needed;
  }

  private parseHead(text: string): Head {
    const lines = text.split(/\r?\n/);
    const firstLine = (lines[0] ?? '').trimEnd();
    const headers = new RtspHeaders(headerFields(lines));
    const status = STATUS_LINE.exec(firstLine);
    if (status) return { kind: 'response', status: Number(status[1]), reason: status[2] ?? '', headers };
    const request = REQUEST_LINE.exec(firstLine);
    if (request) return { kind: 'request', method: request[1]!, headers };
    const shown = firstLine.length > 80 ? `${firstLine.slice(0, 80)}…` : firstLine;
    return this.fail(`expected an RTSP/1.0 status line or request line at stream offset ${this.headStartOffset}, got ${JSON.stringify(shown)}`);
  }

  private startBody(head: Head): void {
    const declared = head.headers.get('content-length');
    // RFC 2326 §12.14: unlike HTTP, a missing Content-Length means no body.
    const length = declared === undefined ? 0 : this.bodyLengthOf(declared);
    if (length === 0) {
      this.state = BETWEEN_ITEMS;
      this.completed = itemOf(head, EMPTY_BYTES);
      return;
    }
    this.state = IN_BODY;
    this.pending = head;
    this.body = head.kind === 'response' ? new Uint8Array(length) : undefined;
    this.bodyLength = length;
    this.bodyFilled = 0;
  }

  private bodyLengthOf(declared: string): number {
    const where = `the message at stream offset ${this.headStartOffset}`;
    if (!/^\d+$/.test(declared)) this.fail(`${where} has Content-Length ${JSON.stringify(declared)}, not a byte count`);
    const length = Number(declared);
    if (length > MAX_BODY_BYTES) this.fail(`${where} declares a ${length}-byte body, over the ${MAX_BODY_BYTES}-byte cap`);
    return length;
  }

  private readBody(chunk: Uint8Array, at: number): number {
    const take = Math.min(this.bodyLength - this.bodyFilled, chunk.length - at);
    this.body?.set(chunk.subarray(at, at + take), this.bodyFilled);
    this.bodyFilled += take;
    at += take;
    if (this.bodyFilled < this.bodyLength) return at;

    this.completed = itemOf(this.pending!, this.body ?? EMPTY_BYTES);
    this.pending = undefined;
    this.body = undefined;
    this.state = BETWEEN_ITEMS;
    return at;
  }

  private failNotText(byte: number, offset: number): never {
    return this.fail(
      `control byte 0x${byte.toString(16).padStart(2, '0')} at stream offset ${offset} inside the header block starting at ${this.headStartOffset}: ` +
        'the connection is out of step or not RTSP',
    );
  }

  private fail(problem: string): never {
    this.failure = new RtspError(problem);
    throw this.failure;
  }
}

/** The fields after the first line; a line starting with a space or tab continues the one before (RFC 2326 §4.2, via RFC 2616). */
function headerFields(lines: string[]): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const last = fields[fields.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    // A line with no name is skipped rather than fatal: the message around it is still readable.
    if (colon <= 0) continue;
    fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return fields;
}

function itemOf(head: Head, body: Uint8Array): RtspItem {
  if (head.kind === 'request') return { kind: 'request', method: head.method, headers: head.headers };
  return { kind: 'response', response: { status: head.status, reason: head.reason, headers: head.headers, body } };
}
