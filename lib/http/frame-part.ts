import type { Frame } from '../capture/frame';
import { encodePart } from '../mjpeg/multipart';

// Encoded once per frame and shared by every viewer: per viewer, sending a frame is one write.
const parts = new WeakMap<Frame, Uint8Array>();

export function framePart(frame: Frame): Uint8Array {
  let part = parts.get(frame);
  if (!part) {
    // X-Camera names the camera of each part on the grid's one connection; plain MJPEG players
    // ignore headers they do not know.
    part = encodePart(frame.jpeg, {
      'X-Camera': frame.cameraId,
      'X-Frame-Timestamp': String(frame.capturedAt),
      ...(frame.still ? { 'X-Frame-Still': '1' } : {}),
    });
    parts.set(frame, part);
  }
  return part;
}
