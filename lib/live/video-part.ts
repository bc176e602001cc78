import { encodePart } from '../mjpeg/multipart';
import type { LiveItem } from './live-feed';

/**
 * A camera's video as multipart parts, beside the JPEG parts of the same format (the grid's one
 * connection carries both): `Content-Type: video/mp4`, the camera in `X-Camera`, and in
 * `X-Video` what the part is. `init` parts carry the codec string a player needs before it can
 * take the first byte; `ended` parts (empty) say that the camera's connection ended, and why.
 */
export const VIDEO_CONTENT_TYPE = 'video/mp4';

const EMPTY = new Uint8Array(0);
// Encoded once and shared by every viewer of the camera, as JPEG parts are.
const parts = new WeakMap<object, Buffer>();

export function videoPart(cameraId: string, item: LiveItem): Buffer {
  const key = item.kind === 'init' ? item.init : item.kind === 'fragment' ? item.fragment : item.failure;
  let part = parts.get(key);
  if (part) return part;
  switch (item.kind) {
    case 'init':
      part = encodePart(item.init.bytes, { 'X-Camera': cameraId, 'X-Video': 'init', 'X-Codec': item.init.codec, 'X-Width': String(item.init.width), 'X-Height': String(item.init.height) }, VIDEO_CONTENT_TYPE);
      break;
    case 'fragment':
      part = encodePart(item.fragment.bytes, { 'X-Camera': cameraId, 'X-Video': 'fragment', 'X-Frame-Timestamp': String(item.receivedAt), ...(item.fragment.keyframe ? { 'X-Keyframe': '1' } : {}) }, VIDEO_CONTENT_TYPE);
      break;
    case 'ended':
      // The reason is a classified one (no URL); a header value must stay on one line.
      part = encodePart(EMPTY, { 'X-Camera': cameraId, 'X-Video': 'ended', 'X-Reason': item.failure.reason.replace(/[\r\n]+/g, ' ').slice(0, 300) }, VIDEO_CONTENT_TYPE);
      break;
  }
  parts.set(key, part);
  return part;
}
