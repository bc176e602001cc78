import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camdash } from '@/lib/server/camdash';
import { isCompleteJpeg, partStream, readParts } from '../helpers/multipart-client';
import { jpegSize } from '../helpers/jpeg-size';
import { serveHandler } from '../helpers/route-server';
import { processAlive, waitFor } from '../helpers/wait-for';

// The real route handlers, the real registry and the real ffmpeg, configured like a user would.
const GRACE_MS = 500;
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-routes-'));
const camerasFile = path.join(directory, 'cameras.json');
writeFileSync(
  camerasFile,
  JSON.stringify({
    cameras: [
      { id: 'pattern', name: 'Pattern', source: 'test:testsrc2', fps: 10, width: 320 },
      { id: 'large', name: 'Large', source: 'test:testsrc2', fps: 10, width: 1280 },
      { id: 'guarded', name: 'Guarded', source: 'rtsp://admin:${CANARY_PASSWORD}@127.0.0.1:9/none' },
    ],
  }),
);
process.env.CAMERAS_FILE = camerasFile;
process.env.CAMDASH_GRACE_MS = String(GRACE_MS);
process.env.CANARY_PASSWORD = 'canary-Pa55word';

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const request = (url: string, signal?: AbortSignal) => new Request(`http://localhost${url}`, { signal });

let camdash: Camdash;
let stream: typeof import('@/app/api/cameras/[id]/stream/route');
let snapshot: typeof import('@/app/api/cameras/[id]/snapshot/route');
let list: typeof import('@/app/api/cameras/route');
let grid: typeof import('@/app/api/grid/stream/route');

beforeAll(async () => {
  stream = await import('@/app/api/cameras/[id]/stream/route');
  snapshot = await import('@/app/api/cameras/[id]/snapshot/route');
  list = await import('@/app/api/cameras/route');
  grid = await import('@/app/api/grid/stream/route');
  camdash = await (await import('@/lib/server/camdash')).getCamdash();
  expect(camdash.ffmpeg.ok, 'ffmpeg must be installed for integration tests').toBe(true);
});

afterAll(async () => {
  await camdash?.registry.shutdown();
});

describe('stream and snapshot routes with a real ffmpeg', () => {
  it('streams complete JPEGs of the configured size, each part with a matching Content-Length', async () => {
    const response = await stream.GET(request('/api/cameras/pattern/stream'), params('pattern'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/x-mixed-replace; boundary=/);
    const parts = await readParts(response, 5);
    for (const part of parts) {
      expect(isCompleteJpeg(part.body)).toBe(true);
      expect(Number(part.headers['content-length'])).toBe(part.body.length);
      expect(jpegSize(part.body)).toEqual({ width: 320, height: 180 });
    }
  });

  it('serves two viewers from one ffmpeg, and stops it within the grace period after they leave', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const [a, b] = await Promise.all([
      stream.GET(request('/api/cameras/pattern/stream', first.signal), params('pattern')),
      stream.GET(request('/api/cameras/pattern/stream', second.signal), params('pattern')),
    ]);
    const [partsA, partsB] = await Promise.all([readParts(a, 3), readParts(b, 3)]);
    expect(partsA.every((part) => isCompleteJpeg(part.body))).toBe(true);
    expect(partsB.every((part) => isCompleteJpeg(part.body))).toBe(true);
    const pids = camdash.registry.runningPids();
    expect(pids).toHaveLength(1);
    first.abort();
    second.abort();

    await waitFor(() => !processAlive(pids[0]!), { timeoutMs: GRACE_MS + 5_000, message: 'ffmpeg to exit after the grace period' });
    expect(camdash.registry.runningPids()).toEqual([]);
    expect(camdash.registry.snapshot('pattern')?.viewers).toBe(0);
  });

  it('gives grid tiles a smaller picture, and the camera page the full one, from one ffmpeg at a time', async () => {
    const tiles = new AbortController();
    const tileParts = partStream(await grid.GET(request('/api/grid/stream?cameras=large', tiles.signal)));
    const widthOf = async (parts: typeof tileParts) => {
      let part = await parts.next();
      while (part.headers['x-frame-still']) part = await parts.next();
      return jpegSize(part.body)?.width;
    };
    expect(await widthOf(tileParts)).toBe(640);
    const [gridPid] = camdash.registry.runningPids();

    const page = new AbortController();
    const pageParts = partStream(await stream.GET(request('/api/cameras/large/stream', page.signal), params('large')));
    expect(await widthOf(pageParts)).toBe(1280);
    await waitFor(() => !processAlive(gridPid!), { timeoutMs: 5_000, message: 'the grid-sized ffmpeg to give way' });
    expect(camdash.registry.runningPids()).toHaveLength(1);
    // Meanwhile the tile's stream stayed open and now shows the full picture.
    await waitFor(async () => (await widthOf(tileParts)) === 1280, { timeoutMs: 10_000, message: 'the tile to get the full picture' });

    page.abort();
    await pageParts.cancel();
    await waitFor(async () => (await widthOf(tileParts)) === 640, { timeoutMs: GRACE_MS + 10_000, message: 'the tile to go back to the grid picture' });
    expect(camdash.registry.runningPids()).toHaveLength(1);
    tiles.abort();
    await tileParts.cancel();
    await waitFor(() => camdash.registry.runningPids().length === 0, { timeoutMs: GRACE_MS + 5_000, message: 'the camera to stop' });
  });

  it('shows a returning viewer the last picture, marked still, then live frames', async () => {
    const parts = await readParts(await stream.GET(request('/api/cameras/large/stream'), params('large')), 2);
    expect(parts[0]!.headers['x-frame-still']).toBe('1');
    expect(isCompleteJpeg(parts[0]!.body)).toBe(true);
    expect(parts[1]!.headers['x-frame-still']).toBeUndefined();
    expect(Number(parts[1]!.headers['x-frame-timestamp'])).toBeGreaterThan(Number(parts[0]!.headers['x-frame-timestamp']));
  });

  it('plays in an external MJPEG client (ffmpeg, the engine of ffplay) over HTTP', async () => {
    const server = await serveHandler((incoming) => {
      const id = new URL(incoming.url).pathname.split('/')[3] ?? '';
      return stream.GET(incoming, params(id));
    });
    try {
      const ffmpeg = camdash.ffmpeg.ok ? camdash.ffmpeg.path : 'ffmpeg';
      const { stdout } = await promisify(execFile)(
        ffmpeg,
        ['-hide_banner', '-v', 'error', '-i', `${server.url}/api/cameras/pattern/stream`, '-frames:v', '5', '-f', 'framemd5', '-'],
        { timeout: 20_000 },
      );
      const frames = stdout.split('\n').filter((line) => /^0,/.test(line));
      expect(frames).toHaveLength(5);
    } finally {
      await server.close();
    }
  });

  it('answers a snapshot with one JPEG, starting the camera if needed', async () => {
    const response = await snapshot.GET(request('/api/cameras/pattern/snapshot'), params('pattern'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(isCompleteJpeg(new Uint8Array(await response.arrayBuffer()))).toBe(true);
  });

  it('answers 404 JSON for a camera that does not exist', async () => {
    for (const id of ['nope', '..', '%00', 'x'.repeat(5000)]) {
      const response = await stream.GET(request('/api/cameras/x/stream'), params(id));
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'unknown camera' });
    }
  });

  it('lists cameras without their source, and never the password, even when a camera fails', async () => {
    const viewer = new AbortController();
    await stream.GET(request('/api/cameras/guarded/stream', viewer.signal), params('guarded'));
    await waitFor(() => camdash.registry.snapshot('guarded')?.reason, { timeoutMs: 15_000, message: 'the RTSP camera to fail' });
    const body = await (await list.GET()).text();
    viewer.abort();
    const cameras = JSON.parse(body).cameras as Record<string, unknown>[];
    expect(cameras.map((camera) => camera.id)).toEqual(['pattern', 'large', 'guarded']);
    expect(cameras.find((camera) => camera.id === 'guarded')).toMatchObject({ status: 'offline' });
    expect(body).not.toContain('canary-Pa55word');
    expect(body).not.toContain('rtsp://');
  });
});
