import type { Frame } from '../capture/frame';
import { encodePart } from '../mjpeg/multipart';

// Encoded once per frame and shared by every viewer: per viewer, sending a frame is one write.
const parts = new WeakMap<Frame, Uint8Array>();

export function framePart(frame: Frame): Uint8Array {
  let part = parts.get(frame);
  if (!part) {
    part = encodePart(frame.jpeg, { 'X-Frame-Timestamp': String(frame.capturedAt) });
    parts.set(frame, part);
  }
  return part;
}
