import type { MultipartPart } from './multipart-reader';

/** A frame as a viewer receives it: whose it is, its JPEG, and whether it is a still. */
export type ReceivedFrame = {
  /** From `X-Camera`; a single camera's stream may leave it out. */
  cameraId: string | undefined;
  jpeg: Uint8Array;
  /**
   * `X-Frame-Still: 1`: the last frame of a camera that is stopped or failed, sent to a new viewer
   * while ffmpeg starts, so its picture is not black. Worth showing, but no sign the camera is live.
   */
  still: boolean;
};

export function receivedFrame(part: MultipartPart): ReceivedFrame {
  return { cameraId: part.headers['x-camera'], jpeg: part.body, still: part.headers['x-frame-still'] === '1' };
}

/**
 * The newest frame of each camera among `parts`, in the order each camera last appeared. Of several
 * frames of one camera in a chunk only the newest is worth decoding; the older ones are stale.
 */
export function newestFrames(parts: readonly MultipartPart[]): ReceivedFrame[] {
  const newest = new Map<string | undefined, ReceivedFrame>();
  for (const part of parts) {
    const frame = receivedFrame(part);
    newest.delete(frame.cameraId);
    newest.set(frame.cameraId, frame);
  }
  return [...newest.values()];
}
