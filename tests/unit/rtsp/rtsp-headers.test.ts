import { describe, expect, it } from 'vitest';
import { RtspError } from '@/lib/rtsp/rtsp-error';
import { contentBase, parseInterleavedChannels, parseSession } from '@/lib/rtsp/rtsp-headers';
import { RtspHeaders, type RtspResponse } from '@/lib/rtsp/rtsp-stream-parser';

const response = (fields: Array<[string, string]>): RtspResponse => ({ status: 200, reason: 'OK', headers: new RtspHeaders(fields), body: new Uint8Array() });

describe('parseSession', () => {
  it.each([
    ['an id and a timeout', '12345678;timeout=60', { id: '12345678', timeoutSeconds: 60 }],
    ['a short timeout, spaced and capitalised', ' 66334873 ; Timeout = 30', { id: '66334873', timeoutSeconds: 30 }],
    ['no timeout (gst-rtsp-server)', '5Ezt-LHbJq9Vx+zU', { id: '5Ezt-LHbJq9Vx+zU', timeoutSeconds: 60 }],
    ['a timeout of 0', 'A1B2;timeout=0', { id: 'A1B2', timeoutSeconds: 60 }],
    ['a timeout that is no number', 'A1B2;timeout=soon', { id: 'A1B2', timeoutSeconds: 60 }],
  ])('reads %s', (_, value, session) => {
    expect(parseSession(value)).toEqual(session);
  });

  it('throws RtspError on a header with no id', () => {
    expect(() => parseSession(';timeout=10')).toThrow(RtspError);
    expect(() => parseSession('  ')).toThrow('rtsp: the Session header "  " has no session id');
  });
});

describe('parseInterleavedChannels', () => {
  it.each([
    ['gst-rtsp-server', 'RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=17AD7FFD;mode="PLAY"', [0, 1]],
    ['a second track', 'RTP/AVP/TCP;unicast;interleaved=2-3', [2, 3]],
    ['a single channel', 'RTP/AVP/TCP;unicast;interleaved=4', [4, 5]],
    ['spaces and capitals', 'RTP/AVP/TCP; unicast; Interleaved = 6 - 7', [6, 7]],
    ['a UDP transport', 'RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971', undefined],
    ['a lookalike parameter', 'RTP/AVP/TCP;x-interleaved=0-1', undefined],
    ['a channel past one byte', 'RTP/AVP/TCP;interleaved=255-256', undefined],
  ])('reads %s', (_, transport, channels) => {
    expect(parseInterleavedChannels(transport)).toEqual(channels);
  });
});

describe('contentBase', () => {
  const requestUrl = 'rtsp://user:pass@127.0.0.1:8554/cam';

  it('takes Content-Base first, then Content-Location, then the request URL', () => {
    expect(contentBase(response([['Content-Location', 'rtsp://127.0.0.1:8554/loc/'], ['Content-Base', 'rtsp://127.0.0.1:8554/cam/']]), requestUrl)).toBe(
      'rtsp://127.0.0.1:8554/cam/',
    );
    expect(contentBase(response([['content-location', 'rtsp://127.0.0.1:8554/loc/']]), requestUrl)).toBe('rtsp://127.0.0.1:8554/loc/');
    expect(contentBase(response([['Content-Type', 'application/sdp']]), requestUrl)).toBe(requestUrl);
  });

  it('ignores an empty Content-Base', () => {
    expect(contentBase(response([['Content-Base', '']]), requestUrl)).toBe(requestUrl);
  });
});
