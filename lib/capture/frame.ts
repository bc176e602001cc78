import { encodePart, type PartHeaders } from '../mjpeg/multipart';

/** One JPEG from a camera, shared read-only by every viewer. */
export type Frame = {
  readonly cameraId: string;
  /** Counts up from 1 for each capture run. */
  readonly seq: number;
  /** Date.now() when the frame left ffmpeg. */
  readonly capturedAt: number;
  readonly jpeg: Buffer;
  /** The last frame of a run that has ended: something to look at while the camera starts, not live. */
  readonly still?: true;
  /** The frame as a multipart part, when it was encoded as it was captured (`jpeg` is a view of it). */
  readonly part?: Buffer;
};

/**
 * What a frame's part says of it besides its JPEG. X-Camera names the camera of each part on the
 * grid's one connection; plain MJPEG players ignore headers they do not know.
 */
export function frameHeaders(frame: Pick<Frame, 'cameraId' | 'capturedAt' | 'still'>): PartHeaders {
  return {
    'X-Camera': frame.cameraId,
    'X-Frame-Timestamp': String(frame.capturedAt),
    ...(frame.still ? { 'X-Frame-Still': '1' } : {}),
  };
}

/**
 * A frame as it leaves ffmpeg, its JPEG (a view that is only valid now) copied once, straight
 * into the part that every viewer is sent: one buffer per frame, not a copy and then a part.
 */
export function capturedFrame(cameraId: string, seq: number, capturedAt: number, jpegView: Uint8Array): Frame {
  const part = encodePart(jpegView, frameHeaders({ cameraId, capturedAt }));
  const jpegStart = part.indexOf('\r\n\r\n') + 4;
  return { cameraId, seq, capturedAt, jpeg: part.subarray(jpegStart, jpegStart + jpegView.length), part };
}
