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
};

export const EMPTY_VALUES: FormValues = { id: '', name: '', url: '', username: '', password: '', rtspTransport: '', fps: '', width: '' };

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
  };
}

/** The request body: a blank password on a camera that has one means "keep it". */
export function formBody(values: FormValues, saved: SavedSettings | undefined) {
  return { ...values, keepPassword: Boolean(saved?.hasPassword) && values.password === '' };
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
