import { z } from 'zod';
import { DEFAULT_MOTION } from './motion-schema';
import { CAMERA_ID, cameraSchema } from './schema';
import { parseSource } from './source';
import { hasUserInfo, rawPassword, withCredentials } from './source-credentials';

/** Form fields arrive as strings; an empty one means "not set". */
function emptyToUndefined(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}

function optionalWholeNumber(min: number, max: number) {
  const range = `from ${min} to ${max}`;
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : emptyToUndefined(value)),
    z.int('a whole number').min(min, range).max(max, range).optional(),
  );
}

/** A JSON field of the form: empty is none; anything else must parse. */
function jsonText(shape: string) {
  return z
    .string()
    .default('')
    .transform((text, ctx): unknown => {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `not JSON: expected ${shape}` });
        return z.NEVER;
      }
    });
}

/**
 * The add/edit camera form, validated with the same rules in the browser (per field, as the user
 * types) and on the server (before anything is written). The source URL and its credentials are
 * separate fields; the password is write-only.
 */
export const cameraFormSchema = z.strictObject({
  id: z.string().trim().regex(CAMERA_ID, 'lowercase letters, digits, "-" or "_" (up to 64), e.g. front-door'),
  name: z.string().trim().min(1, 'give the camera a name').max(100, 'at most 100 characters'),
  url: z
    .string()
    .trim()
    .min(1, 'where to read the camera, e.g. rtsp://192.168.1.64:554/stream1')
    .refine((url) => !hasUserInfo(url), 'put the user name and password in their own fields, not in the URL')
    .superRefine((url, ctx) => {
      const parsed = parseSource(url);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `the URL ${parsed.message}` });
    }),
  username: z.string().trim().max(200).default(''),
  /** Empty on an edit means: keep the saved password (`keepPassword`), or remove it. */
  password: z.string().max(200).default(''),
  keepPassword: z.boolean().default(false),
  rtspTransport: z.preprocess(emptyToUndefined, z.enum(['tcp', 'udp']).optional()),
  fps: optionalWholeNumber(1, 60),
  width: optionalWholeNumber(64, 3840),
  motion: z.boolean().default(false),
  motionSensitivity: z.preprocess(emptyToUndefined, z.enum(['low', 'medium', 'high'], 'low, medium or high').default('medium')),
  motionEndAfterSeconds: optionalWholeNumber(1, 3600),
  /** Polygons as JSON text, [[[x, y], …], …], checked by the cameras.json schema once parsed. */
  motionMasks: jsonText('a list of polygons [[[x, y], …], …] with x and y from 0 to 1'),
  motionZones: jsonText('a list of zones [{ "name": "…", "polygon": [[x, y], …] }]'),
});

export type CameraFormInput = z.input<typeof cameraFormSchema>;
export type CameraForm = z.output<typeof cameraFormSchema>;
export type FieldErrors = Partial<Record<keyof CameraForm | 'form', string>>;

/** A camera's entry in cameras.json as the file holds it (before ${VAR} substitution). */
export type RawCameraEntry = Record<string, unknown>;

/**
 * The cameras.json entry for a submitted form. On an edit, the saved entry's other fields
 * (substream, quality, snapshot, enabled …) are kept, and so is its password when asked to.
 */
export function entryFromForm(form: CameraForm, saved?: RawCameraEntry): RawCameraEntry {
  const savedSource = typeof saved?.source === 'string' ? saved.source : undefined;
  const keptPassword = form.keepPassword && !form.password && savedSource ? rawPassword(savedSource) : undefined;
  const password = keptPassword !== undefined ? { raw: keptPassword } : form.password ? { plain: form.password } : undefined;
  const isRtsp = /^rtsps?:/i.test(form.url);
  const entry: RawCameraEntry = { ...saved, id: form.id, name: form.name, source: withCredentials(form.url, form.username, password) };
  setOrDelete(entry, 'rtspTransport', isRtsp ? form.rtspTransport : undefined);
  setOrDelete(entry, 'fps', form.fps);
  setOrDelete(entry, 'width', form.width);
  // A source encoded to H.264 that becomes an RTSP camera sends the camera's own codec.
  if (isRtsp) delete entry.codec;
  setOrDelete(entry, 'motion', form.motion ? motionEntry(form) : undefined);
  return entry;
}

/** `true` while every motion setting is its default, as a person would write it by hand. */
function motionEntry(form: CameraForm): unknown {
  const settings: Record<string, unknown> = {};
  if (form.motionSensitivity !== DEFAULT_MOTION.sensitivity) settings.sensitivity = form.motionSensitivity;
  if (form.motionMasks !== undefined) settings.masks = form.motionMasks;
  if (form.motionZones !== undefined) settings.zones = form.motionZones;
  if (form.motionEndAfterSeconds !== undefined && form.motionEndAfterSeconds !== DEFAULT_MOTION.endAfterSeconds) settings.endAfterSeconds = form.motionEndAfterSeconds;
  return Object.keys(settings).length === 0 ? true : settings;
}

/** The form's motion fields of a saved entry (as GET /api/cameras/<id>/settings gives them). */
export function motionFields(motion: unknown): { motion: boolean; motionSensitivity?: string; motionEndAfterSeconds?: number; motionMasks?: string; motionZones?: string } {
  if (motion !== true && (typeof motion !== 'object' || motion === null)) return { motion: false };
  const settings = (motion === true ? {} : motion) as Record<string, unknown>;
  return {
    motion: true,
    ...(typeof settings.sensitivity === 'string' ? { motionSensitivity: settings.sensitivity } : {}),
    ...(typeof settings.endAfterSeconds === 'number' ? { motionEndAfterSeconds: settings.endAfterSeconds } : {}),
    ...(Array.isArray(settings.masks) && settings.masks.length ? { motionMasks: JSON.stringify(settings.masks) } : {}),
    ...(Array.isArray(settings.zones) && settings.zones.length ? { motionZones: JSON.stringify(settings.zones) } : {}),
  };
}

/** Validates a form the way the server will, field by field; no errors means it can be saved. */
export function validateCameraForm(input: unknown): { ok: true; form: CameraForm } | { ok: false; errors: FieldErrors } {
  const parsed = cameraFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  // The source must also be something camdash can read (the schema of cameras.json says what).
  const entry = entryFromForm({ ...parsed.data, password: parsed.data.password ? 'x' : '', keepPassword: false });
  const checked = cameraSchema.safeParse(entry);
  if (!checked.success) return { ok: false, errors: fieldErrors(checked.error.issues) };
  return { ok: true, form: parsed.data };
}

/** The form's field for an issue inside the file's `motion` entry. */
const MOTION_FIELDS: Record<string, keyof CameraForm> = { sensitivity: 'motionSensitivity', masks: 'motionMasks', zones: 'motionZones', endAfterSeconds: 'motionEndAfterSeconds' };

/** Maps zod issues to form fields: the file's `source` is the form's `url`, its `motion` the motion fields. */
export function fieldErrors(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    if (issue.path[0] === 'motion' && issue.path.length > 1) {
      const field = MOTION_FIELDS[String(issue.path[1])] ?? 'motion';
      const where = issue.path.slice(2).map((part) => `[${String(part)}]`).join('');
      errors[field] ??= where ? `${where}: ${issue.message}` : issue.message;
      continue;
    }
    const key = String(issue.path[0] ?? 'form');
    const field = (key === 'source' ? 'url' : key in cameraFormSchema.shape ? key : 'form') as keyof FieldErrors;
    errors[field] ??= field === 'url' && key === 'source' ? `the URL ${issue.message}` : issue.message;
  }
  return errors;
}

function setOrDelete(entry: RawCameraEntry, key: string, value: unknown): void {
  if (value === undefined) delete entry[key];
  else entry[key] = value;
}
