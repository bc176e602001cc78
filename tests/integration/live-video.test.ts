import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import type { CaptureProcess } from '@/lib/capture/process';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { Fmp4Reader } from '@/lib/fmp4/fmp4-reader';
import { locateFfmpeg } from '@/lib/ffmpeg/locate';
import { mjpegResponse } from '@/lib/http/mjpeg-response';
import { gridHold } from '@/lib/http/grid-holds';
import { gridResponse } from '@/lib/http/grid-response';
import { videoResponse } from '@/lib/http/video-response';
import { boundaryFromContentType, MultipartReader, type MultipartPart } from '@/lib/mjpeg/multipart-reader';
import { isCompleteJpeg, readParts } from '../helpers/multipart-client';
import { serveHandler } from '../helpers/route-server';
import { decodedFrames } from '../helpers/decode-fmp4';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { processAlive, waitFor } from '../helpers/wait-for';

// The camera's own H.264 through the real registry, real ffmpeg and a real RTSP camera: video
// viewers and MJPEG viewers share one RTSP session, and a video viewer starts at a keyframe.
// Each case runs for both readers of the camera: camdash's own RTSP client and ffmpeg.
const GRACE_MS = 500;
const READERS = [
  { client: 'builtin', id: 'door' },
  { client: 'ffmpeg', id: 'door-ffmpeg' },
] as const;
let ffmpegPath: string;
/** One test camera per reader, so that one's sessions never count for the other. */
const rtspOf = new Map<string, RtspServer>();
let registry: CaptureRegistry;
let http: Awaited<ReturnType<typeof serveHandler>>;

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg();
  if (!ffmpeg.ok) throw new Error(ffmpeg.message);
  ffmpegPath = ffmpeg.path;
  for (const { id } of READERS) rtspOf.set(id, await startRtspServer({ width: 640, height: 360, fps: 15 }));
  registry = new CaptureRegistry({
    spawn: (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as CaptureProcess,
    ffmpegPath,
    timing: { ...DEFAULT_TIMING, graceMs: GRACE_MS },
    log: () => {},
  });
  registry.setCameras([
    ...READERS.map(({ client, id }) => cameraSchema.parse({ id, name: 'Door', source: rtspOf.get(id)!.url(), rtspClient: client })),
    cameraSchema.parse({ id: 'pattern', name: 'Pattern', source: 'test', fps: 5, width: 320 }),
  ]);
  http = await serveHandler(async (request) => {
    const [, path = '', camera = ''] = /^\/(\w+)\/(.+)$/.exec(new URL(request.url).pathname) ?? [];
    if (path === 'video') return videoResponse(registry.subscribeVideo(camera)!, request.signal);
    if (path === 'grid') {
      // As the grid route: the door's tile plays video, the pattern has none and sends JPEGs.
      const hold = (id: string) => gridHold(registry, id, true);
      return gridResponse([camera, 'pattern'].flatMap((id) => hold(id) ?? []), hold, request.signal);
    }
    return mjpegResponse(registry.subscribe(camera)!, request.signal);
  });
});

afterAll(async () => {
  await http?.close();
  await registry?.shutdown();
  for (const server of rtspOf.values()) await server.stop();
});

/** Reads video parts until `enough` says so; returns them with their arrival times. */
async function readVideo(path: string, enough: (parts: MultipartPart[]) => boolean, timeoutMs = 20_000): Promise<{ parts: MultipartPart[]; startedAt: number; firstAt: number }> {
  const abort = new AbortController();
  const startedAt = Date.now();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const response = await fetch(`${http.url}${path}`, { signal: abort.signal });
  const reader = response.body!.getReader();
  const multipart = new MultipartReader(boundaryFromContentType(response.headers.get('content-type'))!);
  const parts: MultipartPart[] = [];
  let firstAt = 0;
  try {
    while (!enough(parts)) {
      const { done, value } = await reader.read();
      if (done) break;
      const more = multipart.push(value);
      if (more.length > 0 && parts.length === 0) firstAt = Date.now();
      parts.push(...more);
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { parts, startedAt, firstAt };
}

const fragmentsOf = (parts: MultipartPart[]) => parts.filter((part) => part.headers['x-video'] === 'fragment');

describe.each(READERS)("an RTSP camera's own video, read by $client", ({ client, id }) => {
  const rtsp = () => rtspOf.get(id)!;

  it('is copied to a video viewer, starting with the init and a keyframe, that ffmpeg can read back', async () => {
    const { parts } = await readVideo(`/video/${id}`, (seen) => fragmentsOf(seen).length >= 30);
    const [init] = parts;
    expect(init?.headers).toMatchObject({ 'content-type': 'video/mp4', 'x-camera': id, 'x-video': 'init', 'x-width': '640', 'x-height': '360' });
    expect(init?.headers['x-codec']).toMatch(/^avc1\.42/);
    const fragments = fragmentsOf(parts);
    expect(fragments[0]?.headers['x-keyframe']).toBe('1');
    // The camera's keyframe interval is 1 s (15 frames): 30 frames hold a second keyframe.
    expect(fragments.filter((part) => part.headers['x-keyframe'] === '1').length).toBeGreaterThanOrEqual(2);
    const events = new Fmp4Reader().push(Buffer.concat([init!.body, ...fragments.map((part) => part.body)]));
    expect(events.filter((event) => event.kind === 'fragment')).toHaveLength(fragments.length);
    // What a browser would play: ffmpeg decodes it all.
    const decoded = await decodedFrames(ffmpegPath, Buffer.concat([init!.body, ...fragments.map((part) => part.body)]));
    expect(decoded).toBe(fragments.length);
  });

  it('shares one RTSP session with MJPEG viewers, and a viewer joining mid-GOP starts at once, at the last keyframe', async () => {
    const sessionsBefore = rtsp().sessionsCreated();
    const mjpeg = fetch(`${http.url}/mjpeg/${id}`).then((response) => readParts(response, 5, 20_000));
    const first = readVideo(`/video/${id}`, (seen) => fragmentsOf(seen).length >= 45);
    // Mid-GOP: the camera sends a keyframe every 15 frames, the first one first.
    await waitFor(
      () => {
        const framesIn = registry.snapshot(id)?.video?.framesIn ?? 0;
        return framesIn > 15 && framesIn % 15 >= 5 && framesIn % 15 <= 10;
      },
      { timeoutMs: 20_000, intervalMs: 10, message: 'the camera to be live, mid-GOP' },
    );
    const late = await readVideo(`/video/${id}`, (seen) => fragmentsOf(seen).length >= 1);
    expect(late.parts[0]?.headers['x-video']).toBe('init');
    expect(fragmentsOf(late.parts)[0]?.headers['x-keyframe']).toBe('1');
    console.info(`[live-video] late viewer: first part after ${late.firstAt - late.startedAt} ms`);
    expect(late.firstAt - late.startedAt).toBeLessThan(1_000);
    for (const part of await mjpeg) expect(isCompleteJpeg(part.body)).toBe(true);
    await first;
    expect(rtsp().sessionsCreated() - sessionsBefore).toBeLessThanOrEqual(1);
    expect(rtsp().sessions()).toBe(1);
    expect(rtsp().clients()).toBe(1);
    expect(registry.snapshot(id)?.video?.readBy).toBe(client === 'builtin' ? 'camdash' : 'ffmpeg');
    // camdash's own client is no process: only the transcoder for the MJPEG viewer runs then.
    const cameraProcesses = registry.processes().filter((process) => process.cameraId === id && process.role === 'camera');
    expect(cameraProcesses).toHaveLength(client === 'builtin' ? 0 : 1);
  });

  it("carries a video tile's parts and a JPEG tile's frames on the grid's one connection", async () => {
    const { parts } = await readVideo(`/grid/${id}`, (seen) => fragmentsOf(seen).length >= 20 && seen.filter((part) => part.headers['x-camera'] === 'pattern').length >= 3);
    const door = parts.filter((part) => part.headers['x-camera'] === id);
    expect(door[0]?.headers).toMatchObject({ 'content-type': 'video/mp4', 'x-video': 'init' });
    expect(door.slice(1).every((part) => part.headers['x-video'] === 'fragment')).toBe(true);
    // Every fragment in order: a video tile cannot skip frames as a JPEG tile does.
    const decoded = await decodedFrames(ffmpegPath, Buffer.concat(door.map((part) => part.body)));
    expect(decoded).toBe(door.length - 1);
    const pattern = parts.filter((part) => part.headers['x-camera'] === 'pattern');
    for (const part of pattern) {
      expect(part.headers['content-type']).toBe('image/jpeg');
      expect(isCompleteJpeg(part.body)).toBe(true);
    }
  });

  it.runIf(client === 'ffmpeg')('keeps a video viewer through a kill -9 of the camera ffmpeg: ended, then a new init and frames, on the same response', async () => {
    let killedPid: number | undefined;
    const { parts } = await readVideo(`/video/${id}`, (seen) => {
      const fragments = fragmentsOf(seen);
      if (killedPid === undefined && fragments.length >= 5) {
        killedPid = registry.processes().find((process) => process.cameraId === id && process.role === 'camera')!.pid;
        process.kill(killedPid, 'SIGKILL');
      }
      const ended = seen.findIndex((part) => part.headers['x-video'] === 'ended');
      return ended >= 0 && fragmentsOf(seen.slice(ended)).length >= 5;
    }, 30_000);
    const kinds = parts.map((part) => part.headers['x-video']);
    const ended = kinds.indexOf('ended');
    expect(ended).toBeGreaterThan(0);
    expect(parts[ended]!.headers['x-reason']).toMatch(/^\w/);
    expect(kinds.indexOf('init', ended)).toBeGreaterThan(ended);
    expect(fragmentsOf(parts.slice(kinds.indexOf('init', ended)))[0]?.headers['x-keyframe']).toBe('1');
    expect(processAlive(killedPid!)).toBe(false);
  });

  it('lets the camera go when the last viewer leaves', async () => {
    const pids = registry.runningPids();
    await waitFor(() => registry.snapshot('pattern')?.viewers === 0, { timeoutMs: 5_000, message: 'the pattern viewers to be released' });
    await waitFor(() => registry.snapshot(id)?.viewers === 0, { timeoutMs: 5_000, message: 'the viewers to be released' });
    await waitFor(() => pids.every((pid) => !processAlive(pid)), { timeoutMs: GRACE_MS + 5_000, message: 'the ffmpegs to exit' });
    // Connections, not sessions: the session of the ffmpeg killed above stays until it times out.
    await waitFor(() => rtsp().clients() === 0, { timeoutMs: 5_000, message: 'the RTSP connection to close' });
    // camdash's own client tears its session down as it leaves.
    if (client === 'builtin') await waitFor(() => rtsp().sessions() === 0, { timeoutMs: 5_000, message: 'the RTSP session to be torn down' });
  });
});
