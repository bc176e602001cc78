import type { FieldErrors } from '@/lib/config/camera-form';

/** What the form's inputs hold: strings, as typed. Validation turns them into a CameraForm. */
export type FormValues = {
  id: string;
  name: string;
  url: string;
  username: string;
  password: string;
  rtspTransport: '' | 'tcp' | 'udp';
  fps: string;
  width: string;
  motion: '' | 'on';
  motionSensitivity: 'low' | 'medium' | 'high';
  motionEndAfterSeconds: string;
  motionMasks: string;
  motionZones: string;
};

/** The saved camera's settings, as GET /api/cameras/<id>/settings returns them. */
export type SavedSettings = {
  id: string;
  name: string;
  url: string;
  username: string;
  hasPassword: boolean;
  rtspTransport?: 'tcp' | 'udp';
  fps?: number;
  width?: number;
  motion?: boolean;
  motionSensitivity?: 'low' | 'medium' | 'high';
  motionEndAfterSeconds?: number;
  motionMasks?: string;
  motionZones?: string;
};

const NO_MOTION = { motion: '', motionSensitivity: 'medium', motionEndAfterSeconds: '', motionMasks: '', motionZones: '' } as const;

export const EMPTY_VALUES: FormValues = { id: '', name: '', url: '', username: '', password: '', rtspTransport: '', fps: '', width: '', ...NO_MOTION };

export function valuesFromSettings(saved: SavedSettings): FormValues {
  return {
    id: saved.id,
    name: saved.name,
    url: saved.url,
    username: saved.username,
    password: '',
    rtspTransport: saved.rtspTransport ?? '',
    fps: saved.fps === undefined ? '' : String(saved.fps),
    width: saved.width === undefined ? '' : String(saved.width),
    motion: saved.motion ? 'on' : '',
    motionSensitivity: saved.motionSensitivity ?? NO_MOTION.motionSensitivity,
    motionEndAfterSeconds: saved.motionEndAfterSeconds === undefined ? '' : String(saved.motionEndAfterSeconds),
    motionMasks: saved.motionMasks ?? '',
    motionZones: saved.motionZones ?? '',
  };
}

/** The request body: a blank password on a camera that has one means "keep it". */
export function formBody(values: FormValues, saved: SavedSettings | undefined) {
  return { ...values, motion: values.motion === 'on', keepPassword: Boolean(saved?.hasPassword) && values.password === '' };
}

/** A slug from a name, so that most users never have to think about the id. */
export function idFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export type { FieldErrors };
