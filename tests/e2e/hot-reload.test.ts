import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { partStream } from '../helpers/multipart-client';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';
import { GridPage } from './dashboard-page';
import { waitForMovingPictures } from './moving-pictures';

// cameras.json edited while camdash runs, the ways people edit it: every good edit applies within a
// second, every bad one changes nothing that runs, and a camera whose entry did not change keeps
// its viewers' connections through all of it.
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-reload-'));
const camerasFile = path.join(directory, 'cameras.json');
const camera = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id, source: 'test:testsrc2', fps: 5, width: 160, ...extra });
const text = (cameras: unknown[]) => `${JSON.stringify({ cameras }, null, 2)}\n`;

let server: NextServer;
type Api = { cameras: { id: string; name: string }[]; config: { errors: string[] } };
const api = async (): Promise<Api> => (await fetch(`${server.url}/api/cameras`)).json() as Promise<Api>;
const ids = async () => (await api()).cameras.map((entry) => entry.id);
const health = async () => ((await (await fetch(`${server.url}/api/health`)).json()) as { config: { valid: boolean; errors: string[] } }).config;

/** Keeps reading a camera's stream in the background and counts its live frames. */
function keepWatching(id: string) {
  const state = { frames: 0, ended: false, error: '' };
  void (async () => {
    const parts = partStream(await fetch(`${server.url}/api/cameras/${id}/stream`));
    try {
      for (;;) if (!(await parts.next(20_000)).headers['x-frame-still']) state.frames += 1;
    } catch (error) {
      state.ended = true;
      state.error = (error as Error).message;
    }
  })();
  return state;
}

/** Waits for `condition` after an edit, and says how long the edit took to apply. */
async function applied(what: string, condition: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  await waitFor(condition, { timeoutMs: 5_000, intervalMs: 20, message: what });
  const ms = Date.now() - started;
  console.log(`hot reload: ${what} in ${ms} ms`);
  return ms;
}

beforeAll(async () => {
  writeFileSync(camerasFile, text([camera('keep'), camera('drop')]));
  server = await startNextServer({ camerasFile, graceMs: 500 });
});

afterAll(async () => {
  await server?.stop();
});

describe('editing cameras.json while camdash runs', () => {
  it('follows every editor style within a second, without dropping the viewers of unchanged cameras', async () => {
    const keep = keepWatching('keep');
    const drop = keepWatching('drop');
    await waitFor(() => keep.frames >= 3 && drop.frames >= 3, { timeoutMs: 15_000, message: 'both cameras to stream' });
    const keepPid = () => server.ffmpegPids().at(0);
    const times: number[] = [];

    // vim, VS Code and most "atomic save" editors: write a temporary file, rename it over.
    writeFileSync(path.join(directory, '.cameras.json.tmp'), text([camera('keep'), camera('drop'), camera('added')]));
    renameSync(path.join(directory, '.cameras.json.tmp'), camerasFile);
    times.push(await applied('an added camera (rename-over)', async () => (await ids()).includes('added')));

    // nano, `>` in a shell: truncate and write in place.
    writeFileSync(camerasFile, text([camera('keep'), camera('added')]));
    times.push(await applied('a removed camera (truncate and write)', async () => !(await ids()).includes('drop')));
    await waitFor(() => drop.ended, { timeoutMs: 5_000, message: "the removed camera's viewer stream to end" });
    expect(drop.error).toBe('the stream ended');

    // sed -i: writes a new file and renames it over.
    execFileSync('sed', ['-i', 's/"name": "added"/"name": "Added, renamed"/', camerasFile]);
    times.push(await applied('a changed camera (sed -i)', async () => (await api()).cameras.some((entry) => entry.name === 'Added, renamed')));

    // cp over the file (a backup restored, a generated file installed).
    writeFileSync(path.join(directory, 'prepared.json'), text([camera('keep'), camera('second')]));
    copyFileSync(path.join(directory, 'prepared.json'), camerasFile);
    times.push(await applied('a replaced file (cp over it)', async () => (await ids()).join() === 'keep,second'));

    const framesBefore = keep.frames;
    await waitFor(() => keep.frames >= framesBefore + 3, { timeoutMs: 5_000, message: 'the unchanged camera to keep streaming' });
    expect(keep.ended).toBe(false);
    expect(server.log().match(/camera keep: ffmpeg started/g)).toHaveLength(1);
    expect(keepPid()).toBeDefined();
    expect(Math.max(...times)).toBeLessThan(1_000);
  });

  it('keeps the last good cameras running through each bad edit, shows what is wrong, and recovers', async () => {
    writeFileSync(camerasFile, text([camera('keep'), camera('second')]));
    await applied('the good file back', async () => (await health()).valid && (await ids()).join() === 'keep,second');
    const keep = keepWatching('keep');
    await waitFor(() => keep.frames >= 2, { timeoutMs: 10_000, message: 'keep to stream' });
    const good = text([camera('keep'), camera('second')]);

    const badEdits: [string, string, RegExp][] = [
      ['a JSON syntax error', good.replace('"second",', '"second"'), /cameras\.json: line \d+, column \d+: expected ","/],
      ['a schema error', text([camera('keep'), camera('second', { fps: 500 })]), /cameras\[1\] \("second"\)\.fps: must be between 1 and 60/],
      ['a duplicate id', text([camera('keep'), camera('keep')]), /cameras\[1\] \("keep"\)\.id: duplicate id, already used by cameras\[0\]/],
      ['an unset variable', text([camera('keep'), camera('second', { source: 'rtsp://admin:${NOT_SET_ANYWHERE}@10.0.0.9/live' })]), /environment variable NOT_SET_ANYWHERE is not set/],
      ['an empty file', '', /the file is empty/],
      ['a truncated file', good.slice(0, good.length / 2), /cameras\.json: line \d+, column \d+/],
    ];
    for (const [what, content, expected] of badEdits) {
      writeFileSync(camerasFile, content);
      await applied(`the error of ${what} shown`, async () => (await health()).errors.some((error) => expected.test(error)));
      expect(await ids(), what).toEqual(['keep', 'second']);
      const frames = keep.frames;
      await waitFor(() => keep.frames > frames, { timeoutMs: 5_000, message: `keep to stream through ${what}` });
      writeFileSync(camerasFile, good);
      await applied(`the fix of ${what}`, async () => (await health()).valid);
    }
    expect(keep.ended).toBe(false);
    expect(server.log()).not.toContain('10.0.0.9');
  });

  it('shows the error as a banner in the open pages, the grid and a camera\'s, and new cameras, without a reload', async () => {
    let browser: TestBrowser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.context.newPage();
      const gridConnections: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/grid/stream') gridConnections.push(request.url());
      });
      const grid = new GridPage(page);
      await grid.open(server.url);
      await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
      const cameraPage = await browser.context.newPage();
      await cameraPage.goto(`${server.url}/cameras/keep`);
      await cameraPage.locator('[data-camera-page="keep"]').waitFor({ timeout: 10_000 });
      writeFileSync(camerasFile, '{ "cameras": [ }');
      for (const open of [page, cameraPage]) {
        await open.locator('[data-config-errors]').filter({ hasText: 'keep running as they were' }).waitFor({ timeout: 10_000 });
      }
      writeFileSync(camerasFile, text([camera('keep'), camera('second'), camera('third')]));
      for (const open of [page, cameraPage]) await open.locator('[data-config-errors]').waitFor({ state: 'detached', timeout: 10_000 });
      await cameraPage.close();
      await waitForMovingPictures(() => grid.pictures(), ['keep', 'second', 'third'], { frames: 2, timeoutMs: 15_000 });
      // A changed camera restarts: its tile, on the grid's shared connection, plays the new settings,
      // and the connection carries on, so the other tiles do not notice.
      const connectionsBeforeChange = gridConnections.length;
      writeFileSync(camerasFile, text([camera('keep'), camera('second', { width: 240 }), camera('third')]));
      const [second] = await waitForMovingPictures(() => grid.pictures(), ['second'], { frames: 2, timeoutMs: 15_000 });
      await waitFor(async () => (await grid.pictures()).find((picture) => picture.id === 'second')?.width === 240, {
        timeoutMs: 10_000,
        message: `the changed tile to show 240 px frames (was ${second?.width})`,
      });
      await waitForMovingPictures(() => grid.pictures(), ['keep', 'second', 'third'], { frames: 2, timeoutMs: 15_000 });
      expect(gridConnections.slice(connectionsBeforeChange), 'grid connections opened for one camera\'s change').toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    } finally {
      await browser?.close();
    }
  });

  it('starts without a cameras file, shows why, and brings the cameras up when one is written', async () => {
    const missing = path.join(directory, 'later', 'cameras.json');
    const second = await startNextServer({ camerasFile: missing });
    try {
      const report = ((await (await fetch(`${second.url}/api/health`)).json()) as { config: { errors: string[] } }).config;
      expect(report.errors).toEqual([expect.stringMatching(/cameras\.json: file not found/)]);
      expect(await (await fetch(`${second.url}/`)).text()).toContain('No camera runs until the file is fixed');
      execFileSync('mkdir', ['-p', path.dirname(missing)]);
      writeFileSync(missing, text([camera('late')]));
      await waitFor(async () => ((await (await fetch(`${second.url}/api/cameras`)).json()) as Api).cameras.length === 1, {
        timeoutMs: 5_000,
        message: 'the camera of the new file',
      });
    } finally {
      await second.stop();
      rmSync(path.dirname(missing), { recursive: true, force: true });
    }
  });
});
