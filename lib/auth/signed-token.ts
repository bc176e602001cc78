import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Small HMAC-signed values: the session cookie and the per-camera stream tokens. Pure apart from
 * the hash, so that tampering, expiry and key changes are unit-tested.
 */

export type Session = { /** ms since epoch */ expiresAt: number; /** changes with the password: old sessions end */ epoch: string };

export function sign(value: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

function matches(value: string, signature: string, secret: Buffer): boolean {
  const expected = Buffer.from(sign(value, secret));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function encodeSession(session: Session, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify({ e: session.expiresAt, p: session.epoch })).toString('base64url');
  return `${payload}.${sign(`session.${payload}`, secret)}`;
}

/** The session a cookie holds, if it is signed by us, unexpired and of the current password. */
export function decodeSession(cookie: string | undefined, secret: Buffer, epoch: string, now: number): Session | undefined {
  if (!cookie || cookie.length > 512) return undefined;
  const [payload, signature, extra] = cookie.split('.');
  if (!payload || !signature || extra !== undefined || !matches(`session.${payload}`, signature, secret)) return undefined;
  try {
    const { e, p } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { e: unknown; p: unknown };
    if (typeof e !== 'number' || p !== epoch || e <= now) return undefined;
    return { expiresAt: e, epoch: p };
  } catch {
    return undefined;
  }
}

/** A camera's token for external players (VLC, Home Assistant): good for that camera's stream and snapshot only. */
export function cameraToken(cameraId: string, secret: Buffer, epoch: string): string {
  return sign(`camera.${epoch}.${cameraId}`, secret).slice(0, 32);
}

export function isCameraToken(token: string | null, cameraId: string, secret: Buffer, epoch: string): boolean {
  if (!token) return false;
  const expected = Buffer.from(cameraToken(cameraId, secret, epoch));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
