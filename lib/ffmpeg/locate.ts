import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type FfmpegOrigin = 'FFMPEG_BIN' | 'ffmpeg-static' | 'PATH';

export type FfmpegLocation =
  | { ok: true; path: string; origin: FfmpegOrigin; version: string }
  | { ok: false; message: string };

export type LocateDeps = {
  env: Readonly<Record<string, string | undefined>>;
  /** ffmpeg-static's binary path, or why there is none. */
  staticBinary: () => { path: string } | { missing: string };
  /** The first line of `ffmpeg -version`; throws when the binary cannot run. */
  probe: (binary: string) => Promise<string>;
};

/**
 * Finds ffmpeg: `FFMPEG_BIN`, else ffmpeg-static's download, else `ffmpeg` on PATH. An explicit
 * FFMPEG_BIN that does not work is an error rather than a silent fallback to another ffmpeg.
 */
export async function locateFfmpeg(deps: LocateDeps = defaultLocateDeps()): Promise<FfmpegLocation> {
  const explicit = deps.env.FFMPEG_BIN;
  if (explicit) {
    try {
      return { ok: true, path: explicit, origin: 'FFMPEG_BIN', version: await deps.probe(explicit) };
    } catch (error) {
      return { ok: false, message: `FFMPEG_BIN is set to ${explicit}, which cannot be run: ${reason(error)}` };
    }
  }

  const notes: string[] = [];
  const fromPackage = deps.staticBinary();
  if ('path' in fromPackage) {
    try {
      return { ok: true, path: fromPackage.path, origin: 'ffmpeg-static', version: await deps.probe(fromPackage.path) };
    } catch (error) {
      notes.push(`ffmpeg-static's binary ${fromPackage.path} cannot be run: ${reason(error)}`);
    }
  } else {
    notes.push(fromPackage.missing);
  }

  const onPath = findOnPath('ffmpeg', deps.env.PATH ?? '');
  if (onPath) {
    try {
      return { ok: true, path: onPath, origin: 'PATH', version: await deps.probe(onPath) };
    } catch (error) {
      notes.push(`${onPath} cannot be run: ${reason(error)}`);
    }
  } else {
    notes.push('there is no ffmpeg on PATH');
  }

  return {
    ok: false,
    message: [
      `ffmpeg not found: FFMPEG_BIN is not set; ${notes.join('; ')}.`,
      'Fix it in one of three ways:',
      '  1. install ffmpeg on PATH: sudo apt-get install ffmpeg (Debian/Ubuntu), brew install ffmpeg (macOS);',
      '  2. point FFMPEG_BIN at an ffmpeg binary: FFMPEG_BIN=/opt/ffmpeg/bin/ffmpeg npm start;',
      '  3. install ffmpeg-static where its download can reach the internet: npm install ffmpeg-static.',
    ].join('\n'),
  };
}

export function defaultLocateDeps(): LocateDeps {
  return { env: process.env, staticBinary: ffmpegStaticBinary, probe: probeVersion };
}

function ffmpegStaticBinary(): { path: string } | { missing: string } {
  let binary: unknown;
  try {
    // Resolved from the project at run time, so that the bundler neither inlines nor requires it.
    binary = createRequire(path.join(process.cwd(), 'package.json'))('ffmpeg-static');
  } catch {
    return { missing: 'ffmpeg-static is not installed (its binary download failed or was skipped)' };
  }
  if (typeof binary !== 'string') return { missing: 'ffmpeg-static has no binary for this platform' };
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { missing: `ffmpeg-static is installed but its binary ${binary} is missing` };
  }
  return { path: binary };
}

function probeVersion(binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['-hide_banner', '-version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.split('\n')[0]?.replace(/\s*Copyright.*$/, '').trim() || 'unknown version');
    });
  });
}

export function findOnPath(command: string, searchPath: string): string | undefined {
  for (const directory of searchPath.split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? String(code) : (error as Error).message;
}
