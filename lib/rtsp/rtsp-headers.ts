/**
 * Readers for the few response headers the client acts on. Pure.
 */
import { RtspError } from './rtsp-error';
import type { RtspResponse } from './rtsp-stream-parser';

/** RFC 2326 §12.37: what a server that gives no timeout means. */
export const DEFAULT_SESSION_TIMEOUT_SECONDS = 60;

/**
 * `Session: 12345678;timeout=60` (RFC 2326 §12.37). The id goes back verbatim on every later
 * request; the timeout says how often the session must be kept alive. A timeout that is missing
 * or not a positive number falls back to the default rather than failing a working session.
 */
export function parseSession(value: string): { id: string; timeoutSeconds: number } {
  const [id = '', ...params] = value.split(';');
  const trimmedId = id.trim();
  if (trimmedId === '') throw new RtspError(`the Session header ${JSON.stringify(value)} has no session id`);
  let timeoutSeconds = DEFAULT_SESSION_TIMEOUT_SECONDS;
  for (const param of params) {
    const match = /^\s*timeout\s*=\s*(\d+)\s*$/i.exec(param);
    if (match && Number(match[1]) > 0) timeoutSeconds = Number(match[1]);
  }
  return { id: trimmedId, timeoutSeconds };
}

/**
 * The RTP and RTCP channels from `RTP/AVP/TCP;unicast;interleaved=0-1` (RFC 2326 §12.39), or
 * undefined when the transport is not interleaved. A single channel `interleaved=4` means 4-5.
 */
export function parseInterleavedChannels(transport: string): [number, number] | undefined {
  const match = /(?:^|;)\s*interleaved\s*=\s*(\d+)(?:\s*-\s*(\d+))?\s*(?:;|,|$)/i.exec(transport);
  if (!match) return undefined;
  const rtp = Number(match[1]);
  const rtcp = match[2] === undefined ? rtp + 1 : Number(match[2]);
  // The frame header has one byte for the channel.
  if (rtp > 255 || rtcp > 255) return undefined;
  return [rtp, rtcp];
}

/**
 * The base that relative control URLs of a DESCRIBE answer resolve against (RFC 2326 C.1.1):
 * Content-Base, else Content-Location, else the URL the request was sent to.
 */
export function contentBase(response: RtspResponse, requestUrl: string): string {
  return response.headers.get('content-base') || response.headers.get('content-location') || requestUrl;
}
