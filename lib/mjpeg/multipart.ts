/**
 * Encoding of `multipart/x-mixed-replace` JPEG streams. Pure; runs once per frame, not per viewer.
 *
 * Each part is written as headers + JPEG + the *next* boundary: Chromium paints a part only when
 * the boundary after it arrives, so ending a part with its own boundary shows every frame at
 * once instead of one frame late (and a stalled camera's last frame at all).
 */

export const BOUNDARY = 'camdashframe';
export const MULTIPART_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${BOUNDARY}`;

const encoder = new TextEncoder();
const DELIMITER_BYTES = encoder.encode(`\r\n--${BOUNDARY}\r\n`);

/** The first bytes of every stream: the boundary that opens the first part. */
export const STREAM_PREAMBLE: Uint8Array = encoder.encode(`--${BOUNDARY}\r\n`);

export type PartHeaders = Readonly<Record<string, string>>;

/** A part of any body (a JPEG by default; a piece of the camera's video on the grid and the video route). */
export function encodePart(jpeg: Uint8Array, extraHeaders: PartHeaders = {}, contentType = 'image/jpeg'): Buffer {
  const headerLines = [
    `Content-Type: ${contentType}`,
    `Content-Length: ${jpeg.length}`,
    ...Object.entries(extraHeaders).map(([name, value]) => `${name}: ${value}`),
  ];
  const head = `${headerLines.join('\r\n')}\r\n\r\n`;
  const headLength = Buffer.byteLength(head);
  // One allocation and one copy of the JPEG per frame: at 15 fps per camera, every buffer less is
  // less work for the garbage collector.
  const part = Buffer.allocUnsafe(headLength + jpeg.length + DELIMITER_BYTES.length);
  part.write(head, 0, 'utf8');
  part.set(jpeg, headLength);
  part.set(DELIMITER_BYTES, headLength + jpeg.length);
  return part;
}
