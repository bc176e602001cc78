import { describe, expect, it } from 'vitest';
import { locateFfmpeg, type LocateDeps } from '@/lib/ffmpeg/locate';

const works = async (binary: string) => `ffmpeg version 6.1 (${binary})`;
const fails = async () => {
  throw Object.assign(new Error('spawn failed'), { code: 'ENOENT' });
};

function deps(overrides: Partial<LocateDeps>): LocateDeps {
  return {
    env: { PATH: '/nonexistent-dir' },
    staticBinary: () => ({ missing: 'ffmpeg-static is not installed (its binary download failed or was skipped)' }),
    probe: works,
    ...overrides,
  };
}

describe('locating ffmpeg', () => {
  it('uses FFMPEG_BIN first', async () => {
    const found = await locateFfmpeg(deps({ env: { FFMPEG_BIN: '/opt/ff/ffmpeg' }, staticBinary: () => ({ path: '/x/ffmpeg' }) }));
    expect(found).toEqual({ ok: true, path: '/opt/ff/ffmpeg', origin: 'FFMPEG_BIN', version: 'ffmpeg version 6.1 (/opt/ff/ffmpeg)' });
  });

  it('says so when FFMPEG_BIN does not work, rather than silently using another ffmpeg', async () => {
    const found = await locateFfmpeg(deps({ env: { FFMPEG_BIN: '/opt/ff/ffmpeg' }, probe: fails }));
    expect(found).toEqual({ ok: false, message: 'FFMPEG_BIN is set to /opt/ff/ffmpeg, which cannot be run: ENOENT' });
  });

  it("uses ffmpeg-static's binary next", async () => {
    const found = await locateFfmpeg(deps({ staticBinary: () => ({ path: '/app/node_modules/ffmpeg-static/ffmpeg' }) }));
    expect(found).toMatchObject({ ok: true, origin: 'ffmpeg-static', path: '/app/node_modules/ffmpeg-static/ffmpeg' });
  });

  it('falls back to ffmpeg on PATH', async () => {
    const found = await locateFfmpeg(deps({ env: { PATH: `/nonexistent-dir:${process.env.PATH}` } }));
    expect(found).toMatchObject({ ok: true, origin: 'PATH' });
    expect(found.ok && found.path.endsWith('/ffmpeg')).toBe(true);
  });

  it('explains why nothing was found and the three ways to fix it', async () => {
    const found = await locateFfmpeg(deps({}));
    expect(found.ok).toBe(false);
    const message = found.ok ? '' : found.message;
    expect(message).toContain('ffmpeg-static is not installed');
    expect(message).toContain('there is no ffmpeg on PATH');
    expect(message).toContain('apt-get install ffmpeg');
    expect(message).toContain('FFMPEG_BIN=');
    expect(message).toContain('npm install ffmpeg-static');
  });
});
