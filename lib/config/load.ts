import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCamerasText, type ConfigResult } from './parse';

export const DEFAULT_CAMERAS_FILE = 'cameras.json';

/** The cameras file this process uses: `CAMERAS_FILE`, or ./cameras.json. */
export function camerasFilePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  // The file is chosen at run time; there is nothing for the bundler to trace.
  return path.resolve(/*turbopackIgnore: true*/ env.CAMERAS_FILE || DEFAULT_CAMERAS_FILE);
}

/** How to name the file in messages: relative to the working directory when it lies under it. */
export function fileLabel(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filePath;
}

export async function loadCamerasFile(
  filePath: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ConfigResult> {
  const label = fileLabel(filePath);
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'unknown error'})`;
    return { ok: false, errors: [`${label}: ${why} (set CAMERAS_FILE to use another file)`] };
  }
  return parseCamerasText(text, label, env);
}
