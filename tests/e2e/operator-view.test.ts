import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partStream } from '../helpers/multipart-client';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';

// What an operator sees of a running camdash: Prometheus metrics and one JSON log line per event.
const PASSWORD = 'operator-Pa55';
let server: NextServer;
let cookie: string;

/** `name{camera="id"}` → value, from Prometheus text format. */
function sample(text: string, name: string, camera?: string): number | undefined {
  const labels = camera === undefined ? '' : `\\{camera="${camera}"\\}`;
  const match = new RegExp(`^${name}${labels} ([0-9.e+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

const metrics = async () => {
  const response = await fetch(`${server.url}/api/metrics`, { headers: { cookie } });
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
};

beforeAll(async () => {
  const camerasFile = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-ops-')), 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras: [
    { id: 'porch', name: 'Porch', source: 'test:testsrc2', fps: 10, width: 160 },
    // Large frames, so that a viewer that stops reading fills the socket buffers within seconds.
    { id: 'large', name: 'Large', source: 'test:testsrc2', fps: 15, width: 1920, quality: 100 },
  ] }));
  server = await startNextServer({ camerasFile, env: { CAMDASH_AUTH: 'on', CAMDASH_PASSWORD: PASSWORD } });
  const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await server?.stop();
});

describe("an operator's view", () => {
  it('serves Prometheus metrics per camera, behind the login: frames in and out, viewers, drops of a slow viewer, ffmpeg CPU', async () => {
    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(401);
    const fast = partStream(await fetch(`${server.url}/api/cameras/porch/stream`, { headers: { cookie } }));
    // A viewer that reads nothing: once the socket is full, the server keeps replacing its one pending frame.
    const stalled = new AbortController();
    await fetch(`${server.url}/api/cameras/large/stream`, { headers: { cookie }, signal: stalled.signal });
    let read = 0;
    let bytes = 0;
    while (read < 15) {
      const part = await fast.next();
      if (!part.headers['x-frame-still']) read += 1;
      bytes += part.body.length;
    }

    const text = await metrics();
    expect(sample(text, 'camdash_camera_viewers', 'porch')).toBe(1);
    expect(sample(text, 'camdash_camera_up', 'porch')).toBe(1);
    expect(sample(text, 'camdash_camera_frames_in_total', 'porch')).toBeGreaterThanOrEqual(15);
    expect(sample(text, 'camdash_camera_frames_out_total', 'porch')).toBeGreaterThanOrEqual(15);
    expect(sample(text, 'camdash_camera_bytes_out_total', 'porch')).toBeGreaterThanOrEqual(bytes);
    expect(sample(text, 'camdash_camera_dropped_frames_total', 'porch')).toBe(0);
    expect(sample(text, 'camdash_camera_last_frame_age_seconds', 'porch')).toBeLessThan(1);
    expect(sample(text, 'camdash_ffmpeg_cpu_seconds_total', 'porch')).toBeGreaterThan(0);
    expect(sample(text, 'camdash_ffmpeg_resident_memory_bytes', 'porch')).toBeGreaterThan(1_000_000);
    expect(sample(text, 'camdash_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(text).toMatch(/^# TYPE camdash_camera_frames_out_total counter$/m);
    await waitFor(async () => (sample(await metrics(), 'camdash_camera_dropped_frames_total', 'large') ?? 0) > 5, {
      timeoutMs: 30_000,
      message: 'frames to be dropped for the viewer that reads nothing',
    });

    await fast.cancel();
    stalled.abort();
    await waitFor(async () => {
      const after = await metrics();
      return sample(after, 'camdash_camera_viewers', 'porch') === 0 && sample(after, 'camdash_camera_viewers', 'large') === 0;
    }, { timeoutMs: 5_000, message: 'viewers to reach 0' });
  });

  it('logs one JSON line per event, naming the camera', () => {
    const events = server
      .log()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; time: string; msg: string; camera?: string });
    expect(events.length).toBeGreaterThan(3);
    for (const event of events) expect(event).toMatchObject({ level: expect.any(String), time: expect.stringMatching(/^\d{4}-/), msg: expect.any(String) });
    expect(events.find((event) => /ffmpeg started/.test(event.msg))).toMatchObject({ level: 'info', camera: 'porch' });
  });
});
