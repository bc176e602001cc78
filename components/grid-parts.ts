import type { MultipartPart } from '@/lib/mjpeg/multipart-reader';
import { newestFrames, type ReceivedFrame } from '@/lib/mjpeg/received-frame';

/** One chunk of the grid's stream, sorted for its tiles. */
export type GridParts = {
  /** Video parts (`X-Video`), every one and in order: a decoder needs each fragment, and an init before them. */
  video: MultipartPart[];
  /** JPEG frames, only the newest of each camera: an older JPEG in the same chunk is stale already. */
  frames: ReceivedFrame[];
};

export function sortGridParts(parts: readonly MultipartPart[]): GridParts {
  const video: MultipartPart[] = [];
  const jpeg: MultipartPart[] = [];
  for (const part of parts) (part.headers['x-video'] ? video : jpeg).push(part);
  return { video, frames: newestFrames(jpeg) };
}
