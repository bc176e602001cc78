/** ffmpeg's lavfi sources that need no input and no extra options. */
export const TEST_PATTERNS = [
  'testsrc',
  'testsrc2',
  'smptebars',
  'smptehdbars',
  'rgbtestsrc',
  'yuvtestsrc',
  'pal75bars',
  'colorspectrum',
  'mandelbrot',
  'life',
] as const;
export type TestPattern = (typeof TEST_PATTERNS)[number];

export type RtspTransport = 'tcp' | 'udp';

/** A camera's `source` string, classified. Carries no defaults: those belong to argument building. */
export type SourceSpec =
  | { kind: 'rtsp'; url: string }
  | { kind: 'http'; url: string }
  | { kind: 'file'; path: string }
  | { kind: 'v4l2'; device: string }
  | { kind: 'test'; pattern: TestPattern };

export type SourceKind = SourceSpec['kind'];

export type ParsedSource = { ok: true; spec: SourceSpec } | { ok: false; message: string };

const EXPECTED =
  'must be rtsp://…, rtsps://…, http(s)://…, file:…, an absolute file path, /dev/videoN or test[:pattern]';

/** Classifies a source string. Messages never repeat the string: it may hold a password. */
export function parseSource(source: string): ParsedSource {
  const trimmed = source.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();

  if (scheme === 'rtsp' || scheme === 'rtsps' || scheme === 'http' || scheme === 'https') {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return { ok: false, message: `is not a valid ${scheme}:// URL` };
    }
    if (!url.hostname) return { ok: false, message: `is a ${scheme}:// URL without a host` };
    return { ok: true, spec: { kind: scheme.startsWith('rtsp') ? 'rtsp' : 'http', url: trimmed } };
  }

  if (scheme === 'test') {
    const pattern = trimmed.slice('test:'.length) || 'testsrc2';
    if (!(TEST_PATTERNS as readonly string[]).includes(pattern)) {
      return { ok: false, message: `has an unknown test pattern "${pattern}"; one of: ${TEST_PATTERNS.join(', ')}` };
    }
    return { ok: true, spec: { kind: 'test', pattern: pattern as TestPattern } };
  }
  if (trimmed === 'test') return { ok: true, spec: { kind: 'test', pattern: 'testsrc2' } };

  if (scheme === 'file') {
    const path = filePathOf(trimmed);
    return path ? classifyPath(path) : { ok: false, message: 'is not a valid file: URL (use file:///absolute/path)' };
  }

  if (trimmed.startsWith('/')) return classifyPath(trimmed);
  return { ok: false, message: EXPECTED };
}

function classifyPath(path: string): ParsedSource {
  if (/^\/dev\/video\d+$/.test(path)) return { ok: true, spec: { kind: 'v4l2', device: path } };
  if (path.startsWith('/dev/')) return { ok: false, message: 'is a device other than /dev/videoN' };
  return { ok: true, spec: { kind: 'file', path } };
}

/**
 * A local file: URL's path, decoded. Not node:url's fileURLToPath, so that this module (and the
 * schema built on it) also runs in the browser, for the camera form.
 */
function filePathOf(fileUrl: string): string | undefined {
  try {
    const url = new URL(fileUrl);
    if (url.host !== '' && url.host !== 'localhost') return undefined;
    const path = decodeURIComponent(url.pathname);
    return path.startsWith('/') && !path.includes('\0') ? path : undefined;
  } catch {
    return undefined;
  }
}
