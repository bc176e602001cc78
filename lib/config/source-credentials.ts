/**
 * Splits the credentials out of a camera's source URL, and puts them back. Pure and browser-safe:
 * the camera form edits user name and password in their own fields, and the password, once saved,
 * never goes back to the browser.
 */

export type SplitSource = { url: string; username: string; hasPassword: boolean };

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?(.*)$/is;

/** The URL without user info, the user name, and whether a password is set. Non-URLs pass through. */
export function splitCredentials(source: string): SplitSource {
  const match = AUTHORITY.exec(source.trim());
  if (!match?.[2]) return { url: source.trim(), username: '', hasPassword: false };
  const userInfo = match[2].slice(0, -1);
  const colon = userInfo.indexOf(':');
  const username = colon === -1 ? userInfo : userInfo.slice(0, colon);
  return { url: `${match[1]}${match[3]}`, username: decodeUserInfo(username), hasPassword: colon !== -1 };
}

/** The raw password part of a source's user info (still percent-encoded, may be a ${VAR}), if any. */
export function rawPassword(source: string): string | undefined {
  const userInfo = AUTHORITY.exec(source.trim())?.[2]?.slice(0, -1);
  const colon = userInfo?.indexOf(':') ?? -1;
  return colon === -1 ? undefined : userInfo!.slice(colon + 1);
}

/**
 * A source URL carrying `username` and a password. The password is either new plain text (encoded
 * here) or, when `keep` holds the raw form of the saved one, that exactly (a `${VAR}` stays a
 * reference to the environment).
 */
export function withCredentials(url: string, username: string, password: { plain: string } | { raw: string } | undefined): string {
  const match = AUTHORITY.exec(url.trim());
  if (!match || (!username && !password)) return url.trim();
  const pass = password === undefined ? '' : 'raw' in password ? `:${password.raw}` : password.plain ? `:${encodeUserInfo(password.plain)}` : '';
  if (!username && !pass) return `${match[1]}${match[3]}`;
  return `${match[1]}${encodeUserInfo(username)}${pass}@${match[3]}`;
}

/** Whether a URL has user info in it; the form keeps credentials in their own fields only. */
export function hasUserInfo(url: string): boolean {
  return Boolean(AUTHORITY.exec(url.trim())?.[2]);
}

// ${VAR} references survive both ways, so that a user name or password kept in the environment stays there.
function encodeUserInfo(value: string): string {
  return value
    .split(/(\$\{[A-Za-z_][A-Za-z0-9_]*\})/)
    .map((piece, index) => (index % 2 === 1 ? piece : encodeURIComponent(piece)))
    .join('');
}

function decodeUserInfo(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
