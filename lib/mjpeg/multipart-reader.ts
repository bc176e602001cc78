/**
 * Reads a multipart stream (as served by camdash, cameras and other MJPEG servers) back into parts.
 * Pure and free of Node APIs, so the browser's player and the tests share it.
 */

export type MultipartPart = { headers: Record<string, string>; body: Uint8Array };

type State = 'boundary' | 'headers' | 'body';

const CRLF = new Uint8Array([13, 10]);
const HEADER_END = new Uint8Array([13, 10, 13, 10]);
const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryFromContentType(contentType: string | null): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match?.[1] ?? match?.[2];
}

export class MultipartReader {
  private buffer = new Uint8Array(64 * 1024);
  private length = 0;
  private state: State = 'boundary';
  private headers: Record<string, string> = {};
  private readonly delimiter: Uint8Array;
  private readonly bodyEnd: Uint8Array;
  private readonly maxPartBytes: number;
  ended = false;

  constructor(boundary: string, maxPartBytes = 32 * 1024 * 1024) {
    const text = new TextEncoder();
    this.delimiter = text.encode(`--${boundary}`);
    this.bodyEnd = text.encode(`\r\n--${boundary}`);
    this.maxPartBytes = maxPartBytes;
  }

  push(chunk: Uint8Array): MultipartPart[] {
    this.append(chunk);
    const parts: MultipartPart[] = [];
    for (;;) {
      const part = this.step();
      if (part === 'wait') break;
      if (part) parts.push(part);
    }
    if (this.length > this.maxPartBytes) throw new Error(`multipart: a part exceeds ${this.maxPartBytes} bytes`);
    return parts;
  }

  /** Advances one state; returns a part, nothing (state changed), or 'wait' for more bytes. */
  private step(): MultipartPart | undefined | 'wait' {
    if (this.ended) return 'wait';
    const bytes = this.buffer.subarray(0, this.length);

    if (this.state === 'boundary') {
      const at = indexOf(bytes, this.delimiter, 0);
      if (at < 0) {
        // Preamble or the CRLF before a delimiter: drop all but what may start a delimiter.
        this.consume(Math.max(0, this.length - this.delimiter.length));
        return 'wait';
      }
      const lineEnd = indexOf(bytes, CRLF, at);
      if (lineEnd < 0) return 'wait';
      const after = bytes.subarray(at + this.delimiter.length, lineEnd);
      if (after[0] === 45 && after[1] === 45) this.ended = true; // "--": the close delimiter
      this.consume(lineEnd + 2);
      this.state = 'headers';
      this.headers = {};
      return undefined;
    }

    if (this.state === 'headers') {
      // A part with no headers starts straight with its blank line.
      if (bytes[0] === 13 && bytes[1] === 10) {
        this.consume(2);
        this.state = 'body';
        return undefined;
      }
      const end = indexOf(bytes, HEADER_END, 0);
      if (end < 0) {
        if (this.length > MAX_HEADER_BYTES) throw new Error('multipart: part headers too long');
        return 'wait';
      }
      const text = new TextDecoder().decode(bytes.subarray(0, end));
      for (const line of text.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) this.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      this.consume(end + 4);
      this.state = 'body';
      return undefined;
    }

    const declared = Number.parseInt(this.headers['content-length'] ?? '', 10);
    let bodyLength: number;
    if (Number.isFinite(declared) && declared >= 0) {
      if (this.length < declared) return 'wait';
      bodyLength = declared;
    } else {
      const end = indexOf(bytes, this.bodyEnd, 0);
      if (end < 0) return 'wait';
      bodyLength = end;
    }
    const body = bytes.slice(0, bodyLength);
    this.consume(bodyLength);
    this.state = 'boundary';
    return { headers: this.headers, body };
  }

  private consume(count: number): void {
    this.buffer.copyWithin(0, count, this.length);
    this.length -= count;
  }

  private append(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length = needed;
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first!, from); i >= 0 && i <= last; i = haystack.indexOf(first!, i + 1)) {
    let match = true;
    for (let j = 1; j < needle.length; j += 1) {
      if (haystack[i + j] !== needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return i;
  }
  return -1;
}
