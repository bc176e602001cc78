import { frameHeaders, type Frame } from '../capture/frame';
import { encodePart } from '../mjpeg/multipart';

// Encoded once per frame and shared by every viewer: per viewer, sending a frame is one write.
const parts = new WeakMap<Frame, Uint8Array>();

export function framePart(frame: Frame): Uint8Array {
  // A still is a copy of a live frame with another header: the live frame's part is not its own.
  if (frame.part && !frame.still) return frame.part;
  let part = parts.get(frame);
  if (!part) {
    part = encodePart(frame.jpeg, frameHeaders(frame));
    parts.set(frame, part);
  }
  return part;
}
