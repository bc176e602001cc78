const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]*)@/gi;

/** `rtsp://admin:hunter2@cam/live` → `rtsp://admin:***@cam/live`, anywhere in a text. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1$2:***@');
}

/** The password of a URL, raw and percent-decoded: the forms in which ffmpeg may echo it. */
export function passwordForms(url: string): string[] {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return [];
  }
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A malformed escape stays as written; the raw form is still redacted.
  }
  return [...new Set([password, decoded])];
}

/**
 * Redacts URL credentials and every known secret (passwords that ffmpeg may print on their own,
 * e.g. after decoding them), for anything that is stored, logged or shown.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let result = redactUrlCredentials(text);
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join('***');
  }
  return result;
}
