import { z } from 'zod';
import { motionSchema } from './motion-schema';
import { recordSchema } from './record-schema';
import { parseSource, type SourceSpec } from './source';

/** Pure schema of cameras.json, shared by the server and (later) the add-camera form. */

const between = (min: number, max: number) => `must be between ${min} and ${max}`;
const intBetween = (min: number, max: number) =>
  z.int({ error: 'must be a whole number' }).min(min, between(min, max)).max(max, between(min, max));

const sourceString = z.string().superRefine((source, ctx) => {
  const parsed = parseSource(source);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

export const CAMERA_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const cameraSchema = z
  .strictObject({
    id: z
      .string()
      .regex(CAMERA_ID, 'must be a URL-safe slug: up to 64 lowercase letters, digits, "-" or "_", not starting with "-" or "_"'),
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    source: sourceString,
    /** A camera's low-resolution second stream, for the grid; the camera page uses `source`. */
    substream: sourceString.optional(),
    /** Frames per second delivered to viewers; the source's own rate when absent. */
    fps: intBetween(1, 60).optional(),
    /** Output width in pixels (height keeps the aspect ratio); the source's own size when absent. */
    width: intBetween(64, 3840).optional(),
    /** JPEG quality, 1 (smallest) to 100 (best). */
    quality: intBetween(1, 100).optional(),
    enabled: z.boolean().default(true),
    rtspTransport: z.enum(['tcp', 'udp']).optional(),
    /**
     * Who reads an rtsp:// camera: camdash's own client (the default; H.264 over TCP, other codecs
     * handed to ffmpeg), or always ffmpeg, for a camera the built-in client does not get along with.
     */
    rtspClient: z.enum(['builtin', 'ffmpeg']).optional(),
    /** The http(s) URL returns one JPEG per request (a snapshot URL): poll it at `fps` (default 1). */
    snapshot: z.boolean().optional(),
    /**
     * A source that sends no video of its own (a test pattern, an HTTP MJPEG camera, a webcam, a
     * file) encoded as H.264, as an IP camera sends it: browsers then play it and the recorder
     * copies it, as an RTSP camera's (it costs an encode; a real camera does it in its chip).
     */
    codec: z.literal('h264', { error: 'must be "h264"' }).optional(),
    /**
     * Motion detection: the camera then runs with nobody watching, and its events are kept.
     * Detected on the substream where there is one.
     */
    motion: motionSchema,
    /**
     * Recording: the camera's own video copied to disk (no re-encode), all of it or around motion
     * events. The camera then runs with nobody watching.
     */
    record: recordSchema,
  })
  .superRefine((camera, ctx) => {
    if (camera.codec !== undefined && /^rtsps?:/i.test(camera.source.trim())) {
      ctx.addIssue({ code: 'custom', path: ['codec'], message: 'does not apply to rtsp:// sources (the camera sends its own codec, copied as it is)' });
    }
    if (camera.codec !== undefined && camera.snapshot) {
      ctx.addIssue({ code: 'custom', path: ['codec'], message: 'does not apply to snapshot cameras (one JPEG per request)' });
    }
    if (camera.rtspTransport !== undefined && !/^rtsps?:/i.test(camera.source.trim())) {
      ctx.addIssue({ code: 'custom', path: ['rtspTransport'], message: 'only applies to rtsp:// and rtsps:// sources' });
    }
    if (camera.record?.mode === 'motion' && !camera.motion) {
      ctx.addIssue({ code: 'custom', path: ['record', 'mode'], message: '"motion" keeps the footage around motion events: turn "motion" on for this camera, or record "continuous"' });
    }
    if (camera.rtspClient !== undefined && !/^rtsps?:/i.test(camera.source.trim())) {
      ctx.addIssue({ code: 'custom', path: ['rtspClient'], message: 'only applies to rtsp:// and rtsps:// sources' });
    }
    if (camera.snapshot && !/^https?:/i.test(camera.source.trim())) {
      ctx.addIssue({ code: 'custom', path: ['snapshot'], message: 'only applies to http:// and https:// sources' });
    }
  })
  .transform((camera) => ({
    ...camera,
    input: specOf(camera.source),
    substreamInput: camera.substream === undefined ? undefined : specOf(camera.substream),
  }));

// Only called on strings the schema has already accepted.
const specOf = (source: string): SourceSpec => (parseSource(source) as { spec: SourceSpec }).spec;

export const camerasFileSchema = z
  .strictObject({
    cameras: z.array(cameraSchema),
  })
  .superRefine((file, ctx) => {
    const firstIndexById = new Map<string, number>();
    file.cameras.forEach((camera, index) => {
      const first = firstIndexById.get(camera.id);
      if (first === undefined) firstIndexById.set(camera.id, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['cameras', index, 'id'],
          message: `duplicate id, already used by cameras[${first}]; ids must be unique`,
        });
    });
  });

export type CameraConfig = z.output<typeof cameraSchema>;
export type CamerasFile = z.output<typeof camerasFileSchema>;
