import { describe, expect, it } from 'vitest';
import { RtspError } from '@/lib/rtsp/rtsp-error';
import { formatRtspRequest } from '@/lib/rtsp/rtsp-request';
import { RtspStreamParser } from '@/lib/rtsp/rtsp-stream-parser';

describe('formatRtspRequest', () => {
  it('writes the request line, the headers in order and the blank line', () => {
    const text = formatRtspRequest('SETUP', 'rtsp://127.0.0.1:8554/cam/stream=0', [
      ['CSeq', '3'],
      ['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1'],
      ['User-Agent', 'camdash'],
    ]);
    expect(text).toBe('SETUP rtsp://127.0.0.1:8554/cam/stream=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nUser-Agent: camdash\r\n\r\n');
  });

  it('writes a request with no headers', () => {
    expect(formatRtspRequest('OPTIONS', '*', [])).toBe('OPTIONS * RTSP/1.0\r\n\r\n');
  });

  it('writes what an RTSP reader reads back', () => {
    const text = formatRtspRequest('GET_PARAMETER', 'rtsp://cam/live/', [['CSeq', '9'], ['Session', '5Ezt-LHbJq9Vx+zU']]);
    const [item] = new RtspStreamParser().push(new TextEncoder().encode(text));
    expect(item?.kind === 'request' && [item.method, item.headers.get('cseq'), item.headers.get('session')]).toEqual(['GET_PARAMETER', '9', '5Ezt-LHbJq9Vx+zU']);
  });

  it.each([
    ['a CRLF in a header value', 'DESCRIBE', 'rtsp://cam/', [['Authorization', 'Basic x\r\nX-Injected: 1']], /rtsp: refusing to send header Authorization: its value holds a CR, LF or NUL/],
    ['a bare LF in a header value', 'DESCRIBE', 'rtsp://cam/', [['Session', 'abc\n']], /header Session: its value holds/],
    ['a CR in the URL', 'DESCRIBE', 'rtsp://cam/\rPLAY rtsp://x', [], /rtsp: refusing to send DESCRIBE to a URL that is empty or holds whitespace/],
    ['a LF in the URL', 'DESCRIBE', 'rtsp://cam/\n', [], /to a URL that is empty or holds whitespace/],
    ['a space in the URL', 'DESCRIBE', 'rtsp://cam/a b', [], /to a URL that is empty or holds whitespace/],
    ['an empty URL', 'DESCRIBE', '', [], /to a URL that is empty/],
    ['a method with a space', 'DESCRIBE rtsp://evil', 'rtsp://cam/', [], /rtsp: refusing to send method "DESCRIBE rtsp:\/\/evil": not a token/],
    ['a header name with a colon', 'DESCRIBE', 'rtsp://cam/', [['X-A: b\r\nX-C', 'd']], /rtsp: refusing to send header name/],
  ] as const)('throws RtspError on %s', (_, method, url, headers, message) => {
    const format = () => formatRtspRequest(method, url, headers);
    expect(format).toThrow(RtspError);
    expect(format).toThrow(message);
  });

  it('does not repeat a refused value, which may be a credential, in its error', () => {
    expect(() => formatRtspRequest('DESCRIBE', 'rtsp://cam/', [['Authorization', 'Basic c2VjcmV0\n']])).toThrow(expect.objectContaining({ message: expect.not.stringContaining('c2VjcmV0') }));
  });
});
