import { describe, expect, it } from 'vitest';
import { RtspError } from '@/lib/rtsp/rtsp-error';
import { MAX_BODY_BYTES, MAX_HEADER_BLOCK_BYTES, RtspHeaders, RtspStreamParser, type RtspItem } from '@/lib/rtsp/rtsp-stream-parser';

const ascii = (text: string) => new TextEncoder().encode(text);

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

function frame(channel: number, payload: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x24, channel, payload.length >> 8, payload.length & 0xff), payload);
}

/** Bytes from a seeded xorshift32, so that every run sees the same stream and the same cuts. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

function rechunk(bytes: Uint8Array, seed: number, maxChunk: number): Uint8Array[] {
  const random = randomSource(seed);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** An RTP-like payload that also holds the bytes a parser could mistake for a boundary. */
function payload(length: number, seed: number): Uint8Array {
  const random = randomSource(seed);
  const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
  const decoys = ascii('$\x00\x10RTSP/1.0 200 OK\r\n\r\n');
  if (length > decoys.length + 20) bytes.set(decoys, 12);
  return bytes;
}

// Items as strings: vitest's deep equality on byte arrays is slow, and a string diff reads well.
function summary(items: RtspItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'interleaved') return `$${item.channel} ${Buffer.from(item.payload).toString('base64')}`;
    if (item.kind === 'request') return `request ${item.method} cseq=${item.headers.get('cseq')}`;
    const { status, reason, headers, body } = item.response;
    return `${status} ${reason} cseq=${headers.get('cseq')} body=${Buffer.from(body).toString('latin1')}`;
  });
}

function parseAll(chunks: Iterable<Uint8Array>, parser = new RtspStreamParser()): RtspItem[] {
  const items: RtspItem[] = [];
  for (const chunk of chunks) items.push(...parser.push(chunk));
  return items;
}

// As gst-rtsp-server 1.x answered DESCRIBE, SETUP and PLAY (tests/fixtures/rtsp-server.py).
const SDP =
  'v=0\r\no=- 18420904780836963872 1 IN IP4 127.0.0.1\r\ns=Session streamed with GStreamer\r\ni=rtsp-server\r\nt=0 0\r\n' +
  'a=tool:GStreamer\r\na=type:broadcast\r\na=control:*\r\na=range:npt=now-\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:2097\r\n' +
  'a=rtpmap:96 H264/90000\r\na=framerate:5\r\n' +
  'a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAFtoCgL/lwFqDAwNSgAAAAwCAAAAFR4sXUA==,aM48gA==;profile-level-id=42c016;level-asymmetry-allowed=1\r\n' +
  'a=control:stream=0\r\na=ts-refclk:local\r\na=mediaclk:sender\r\na=ssrc:397246461 cname:user2323113193@host-e73e9db7\r\n';
const DESCRIBE_RESPONSE =
  'RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Base: rtsp://127.0.0.1:8554/cam/\r\n' +
  `Server: GStreamer RTSP server\r\nDate: Thu, 03 Dec 2026 05:45:12 GMT\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`;
const SETUP_RESPONSE =
  'RTSP/1.0 200 OK\r\nCSeq: 2\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=17AD7FFD;mode="PLAY"\r\n' +
  'Server: GStreamer RTSP server\r\nSession: 5Ezt-LHbJq9Vx+zU\r\nDate: Thu, 03 Dec 2026 05:45:13 GMT\r\n\r\n';
const PLAY_RESPONSE =
  'RTSP/1.0 200 OK\r\nCSeq: 3\r\nRTP-Info: url=rtsp://127.0.0.1:8554/cam/stream=0;seq=10825;rtptime=716724598\r\n' +
  'Range: npt=now-\r\nServer: GStreamer RTSP server\r\nSession: 5Ezt-LHbJq9Vx+zU\r\nDate: Thu, 03 Dec 2026 05:45:13 GMT\r\n\r\n';
// A server's own request mid-stream, with a body the client must step over.
const SERVER_REQUEST = 'SET_PARAMETER rtsp://127.0.0.1:8554/cam/ RTSP/1.0\r\nCSeq: 7\r\nContent-Type: text/parameters\r\nContent-Length: 16\r\n\r\nbarparam: barst\n';
// A keep-alive answer from a camera that ends its lines with LF alone.
const KEEPALIVE_RESPONSE = 'RTSP/1.0 200 OK\nCSeq: 4\nSession: 5Ezt-LHbJq9Vx+zU\n\n';

const payloads = [payload(14, 1), payload(40, 2), payload(1400, 3), payload(0, 4), payload(900, 5), payload(52, 6)];
const stream = concat(
  ascii(DESCRIBE_RESPONSE),
  ascii(SETUP_RESPONSE),
  ascii(PLAY_RESPONSE),
  frame(0, payloads[0]!),
  frame(0, payloads[1]!),
  frame(0, payloads[2]!),
  ascii(SERVER_REQUEST),
  frame(1, payloads[5]!),
  frame(0, payloads[3]!),
  ascii(KEEPALIVE_RESPONSE),
  frame(0, payloads[4]!),
);
const expected = summary(parseAll([stream]));

describe('RtspStreamParser', () => {
  it('reads responses, a server request and interleaved frames of a real session, in stream order', () => {
    const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    expect(expected).toEqual([
      `200 OK cseq=1 body=${SDP}`,
      '200 OK cseq=2 body=',
      '200 OK cseq=3 body=',
      `$0 ${base64(payloads[0]!)}`,
      `$0 ${base64(payloads[1]!)}`,
      `$0 ${base64(payloads[2]!)}`,
      'request SET_PARAMETER cseq=7',
      `$1 ${base64(payloads[5]!)}`,
      '$0 ',
      '200 OK cseq=4 body=',
      `$0 ${base64(payloads[4]!)}`,
    ]);
  });

  it('gives the same items whichever byte the stream is cut at', () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      expect(summary(parseAll([stream.subarray(0, cut), stream.subarray(cut)])), `cut at byte ${cut}`).toEqual(expected);
    }
  });

  it('gives the same items under 200 random re-chunkings, down to single bytes', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const maxChunk = [3, 64, 1500][seed % 3]!;
      expect(summary(parseAll(rechunk(stream, seed, maxChunk))), `seed ${seed}`).toEqual(expected);
    }
  });

  it('reads a response cut at each byte of its header terminator, CRLF or LF', () => {
    for (const response of [SETUP_RESPONSE, KEEPALIVE_RESPONSE]) {
      const bytes = concat(ascii(response), frame(0, payloads[0]!));
      const terminatorStart = response.length - (response.endsWith('\r\n\r\n') ? 4 : 2);
      for (let cut = terminatorStart; cut < response.length; cut += 1) {
        const parser = new RtspStreamParser();
        expect(parser.push(bytes.subarray(0, cut)), `cut at ${cut}`).toHaveLength(0);
        expect(summary(parser.push(bytes.subarray(cut))), `cut at ${cut}`).toEqual(summary(parseAll([bytes])));
      }
    }
  });

  it('gathers a body spread over many chunks and hands it out as a copy', () => {
    const bytes = ascii(DESCRIBE_RESPONSE);
    const chunks = rechunk(bytes, 7, 20);
    const [item] = parseAll(chunks);
    expect(item?.kind).toBe('response');
    if (item?.kind !== 'response') return;
    expect(Buffer.from(item.response.body).toString('latin1')).toBe(SDP);
    expect(item.response.headers.get('content-base')).toBe('rtsp://127.0.0.1:8554/cam/');
    for (const chunk of chunks) expect(item.response.body.buffer).not.toBe(chunk.buffer);
  });

  it('returns a frame inside one chunk as a view of it, without copying', () => {
    const chunk = concat(frame(0, payloads[2]!), frame(1, payloads[5]!));
    const items = new RtspStreamParser().push(chunk);
    expect(items.map((item) => (item.kind === 'interleaved' ? [item.payload.buffer === chunk.buffer, item.payload.byteOffset] : item.kind))).toEqual([
      [true, 4],
      [true, 4 + payloads[2]!.length + 4],
    ]);
  });

  it('still returns a view when only the 4-byte frame header is cut, and copies a payload that is', () => {
    const bytes = frame(2, payloads[2]!);
    const parser = new RtspStreamParser();
    expect(parser.push(bytes.subarray(0, 2))).toHaveLength(0);
    const rest = bytes.subarray(2);
    const [viewed] = parser.push(rest);
    expect(viewed?.kind === 'interleaved' && viewed.payload.buffer === rest.buffer && viewed.channel === 2).toBe(true);

    expect(parser.push(bytes.subarray(0, 700))).toHaveLength(0);
    expect(parser.bufferedBytes).toBe(700);
    const second = bytes.subarray(700);
    const [copied] = parser.push(second);
    expect(copied?.kind === 'interleaved' && copied.payload.buffer !== second.buffer).toBe(true);
    expect(summary([copied!])).toEqual(summary([viewed!]));
    expect(parser.bufferedBytes).toBe(0);
  });

  it('returns one shared, frozen empty array for chunks that complete nothing', () => {
    const first = new RtspStreamParser().push(ascii('RTSP/1.0 200'));
    const second = new RtspStreamParser().push(Uint8Array.of(0x24, 0, 0));
    expect(first).toBe(second);
    expect(first).toHaveLength(0);
    expect(() => first.push({ kind: 'interleaved', channel: 0, payload: new Uint8Array() })).toThrow(TypeError);
  });

  it('carries a frame of the largest size, 65535 bytes', () => {
    const big = payload(65_535, 9);
    const bytes = concat(frame(0, big), frame(1, payloads[0]!));
    const want = summary(parseAll([bytes]));
    expect(want).toHaveLength(2);
    expect(summary(parseAll(rechunk(bytes, 3, 5000)))).toEqual(want);
  });

  it('reads header fields case-insensitively, repeated, folded, and with blank lines between messages', () => {
    const text =
      '\r\nRTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm="IP Camera(C6464)", nonce="a1b2"\r\n' +
      'www-authenticate: Basic realm="IP Camera(C6464)"\r\nX-Folded: first\r\n  second\r\nno colon here\r\n\r\n' +
      'RTSP/1.0 200\r\nCSeq: 3\r\n\r\n';
    const [unauthorized, bare] = parseAll([ascii(text)]);
    if (unauthorized?.kind !== 'response' || bare?.kind !== 'response') throw new Error('expected two responses');
    const { status, reason, headers } = unauthorized.response;
    expect([status, reason]).toEqual([401, 'Unauthorized']);
    expect(headers.get('WWW-AUTHENTICATE')).toBe('Digest realm="IP Camera(C6464)", nonce="a1b2"');
    expect(headers.all('www-authenticate')).toEqual(['Digest realm="IP Camera(C6464)", nonce="a1b2"', 'Basic realm="IP Camera(C6464)"']);
    expect(headers.get('x-folded')).toBe('first second');
    expect(headers.get('no colon here')).toBeUndefined();
    expect(headers.all('absent')).toEqual([]);
    expect([bare.response.status, bare.response.reason]).toEqual([200, '']);
  });

  it('steps over an ANNOUNCE and its SDP body, whatever the chunking', () => {
    const announce = `ANNOUNCE rtsp://127.0.0.1:8554/cam/ RTSP/1.0\r\nCSeq: 9\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`;
    const bytes = concat(ascii(announce), frame(0, payloads[1]!));
    for (let seed = 1; seed <= 20; seed += 1) {
      expect(summary(parseAll(rechunk(bytes, seed, 50)))).toEqual(['request ANNOUNCE cseq=9', `$0 ${Buffer.from(payloads[1]!).toString('base64')}`]);
    }
  });

  it('takes a header block of exactly 64 KB', () => {
    const head = 'RTSP/1.0 200 OK\r\nCSeq: 5\r\nX-Pad: ';
    const padding = 'p'.repeat(MAX_HEADER_BLOCK_BYTES - head.length - 4);
    const items = parseAll(rechunk(ascii(`${head}${padding}\r\n\r\n`), 5, 9000));
    expect(items.map((item) => item.kind)).toEqual(['response']);
  });

  const good = ascii(SETUP_RESPONSE);
  it.each([
    ['a byte that starts nothing', frame(0, payloads[0]!).fill(0x00, 0, 1), /rtsp: byte 0x00 at stream offset \d+ is neither '\$'/],
    ['an HTTP answer', ascii('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), /rtsp: expected an RTSP\/1\.0 status line or request line at stream offset \d+, got "HTTP\/1\.1 200 OK"/],
    ['binary after a letter', concat(ascii('RTP'), Uint8Array.of(0x80, 0x60, 0x01, 0x02)), /rtsp: control byte 0x01 at stream offset \d+ inside the header block/],
    ['a header block over 64 KB', ascii(`RTSP/1.0 200 OK\r\nX-Pad: ${'p'.repeat(MAX_HEADER_BLOCK_BYTES)}`), /rtsp: the header block starting at stream offset \d+ is over 65536 bytes/],
    ['a body over 1 MB', ascii(`RTSP/1.0 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`), /declares a 1048577-byte body, over the 1048576-byte cap/],
    ['a Content-Length that is no number', ascii('RTSP/1.0 200 OK\r\nContent-Length: -3\r\n\r\n'), /has Content-Length "-3", not a byte count/],
  ])('throws RtspError on %s, keeps throwing until reset, then reads again', (_, bad, message) => {
    const parser = new RtspStreamParser();
    expect(parser.push(good)).toHaveLength(1);
    expect(() => parseAll(rechunk(bad, 11, 1000), parser)).toThrow(RtspError);
    expect(() => parser.push(good)).toThrow(message);

    parser.reset();
    expect(summary(parser.push(good))).toEqual(['200 OK cseq=2 body=']);
  });

  it('names the stream offset of the failure across pushes', () => {
    const parser = new RtspStreamParser();
    parser.push(good);
    expect(() => parser.push(Uint8Array.of(0x24, 0, 0, 1, 0xaa, 0x99))).toThrow(`rtsp: byte 0x99 at stream offset ${good.length + 5} is neither`);
  });

  it('builds headers that the client can construct itself', () => {
    const headers = new RtspHeaders([
      ['Content-Base', 'rtsp://cam/'],
      ['CSeq', '1'],
    ]);
    expect([headers.get('content-base'), headers.get('cseq'), headers.get('session')]).toEqual(['rtsp://cam/', '1', undefined]);
  });
});
