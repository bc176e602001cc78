/**
 * The text of one RTSP request (RFC 2326 §6), ready to write to the connection. Pure.
 *
 * Parts of a request come from configuration (the camera URL, its credentials in Authorization)
 * and from the server (Session, the control URLs of its SDP). A CR or LF in any of them would end
 * a line early and let that text add headers or a whole request of its own, so they are refused
 * rather than escaped: RTSP has no escape for them.
 */
import { RtspError } from './rtsp-error';

// RFC 2616 token characters: what a method or header name may hold.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// A request line is split on spaces, so the URL may hold none (a URL object percent-encodes them).
const URL_BREAKER = /[\s\x00-\x1f\x7f]/;
const LINE_BREAKER = /[\r\n\x00]/;

export function formatRtspRequest(method: string, url: string, headers: ReadonlyArray<readonly [string, string]>): string {
  if (!TOKEN.test(method)) throw new RtspError(`refusing to send method ${JSON.stringify(method)}: not a token`);
  if (url === '' || URL_BREAKER.test(url)) throw new RtspError(`refusing to send ${method} to a URL that is empty or holds whitespace or control characters`);
  let text = `${method} ${url} RTSP/1.0\r\n`;
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) throw new RtspError(`refusing to send header name ${JSON.stringify(name)}: not a token`);
    // The value is not quoted back: it may carry credentials.
    if (LINE_BREAKER.test(value)) throw new RtspError(`refusing to send header ${name}: its value holds a CR, LF or NUL`);
    text += `${name}: ${value}\r\n`;
  }
  return `${text}\r\n`;
}
