import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';

// The README's first command, as a new user runs it: `npm start` with the bundled demo cameras.
// It must serve pictures, stop on SIGTERM, and leave the clone as git had it (a modified
// package-lock.json would make the user's next `git pull` conflict on a file they never touched).
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gitStatus = () => execFileSync('git', ['status', '--porcelain'], { cwd: PROJECT_ROOT, encoding: 'utf8' });

describe('npm start', () => {
  it('serves the bundled demo cameras and leaves the clone unchanged', async () => {
    const before = gitStatus();
    const port = await freePort();
    // Its own process group: npm, the shell script and the server it execs are stopped together.
    const child = spawn('npm', ['start'], {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', CAMDASH_AUTH: 'off', CAMDASH_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'camdash-data-')), CAMDASH_RECORDINGS_DIR: mkdtempSync(path.join(tmpdir(), 'camdash-recordings-')), CAMERAS_FILE: '' },
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await fetch(`${url}/api/health`).catch(() => undefined))?.ok, { timeoutMs: 60_000, intervalMs: 200, message: `npm start to serve ${url}\n${output}` });
      const { cameras } = (await (await fetch(`${url}/api/cameras`)).json()) as { cameras: { id: string }[] };
      expect(cameras.map((camera) => camera.id)).toEqual(['front-door', 'garden', 'garage', 'hallway']);
      const snapshot = await fetch(`${url}/api/cameras/front-door/snapshot`);
      expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
      const jpeg = new Uint8Array(await snapshot.arrayBuffer());
      expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
      // The H.264 demo camera records, so that its playback page has footage from the first start.
      type Listed = { cameras: { id: string; recording: { active: boolean } | null }[] };
      const recording = async () => ((await (await fetch(`${url}/api/cameras`)).json()) as Listed).cameras.find((camera) => camera.id === 'front-door')?.recording;
      await waitFor(async () => (await recording())?.active, { timeoutMs: 20_000, intervalMs: 200, message: 'the demo camera to record' });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    expect(output).not.toMatch(/npm warn/i);
    expect(gitStatus()).toBe(before);
  });
});
