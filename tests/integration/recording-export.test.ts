import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentIndex } from '@/lib/recording/segment-index';
import { segmentPath } from '@/lib/recording/types';
import { serveHandler } from '../helpers/route-server';
import { waitFor } from '../helpers/wait-for';
import { encodeStream, ffmpegPath, FPS, parseStream, writeSegments, type WrittenSegment } from '../unit/recording/recorded-fixture';

// The real export route, real segment files, the real ffmpeg; what comes out is checked by ffprobe.
const run = promisify(execFile);
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-recording-export-'));
process.env.CAMDASH_DATA_DIR = path.join(directory, 'data');
process.env.CAMDASH_RECORDINGS_DIR = path.join(directory, 'recordings');
const dir = process.env.CAMDASH_RECORDINGS_DIR;

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const LONG_AT = Date.UTC(2026, 11, 2, 12); // 20 minutes of footage, for leaving mid-export
let index: SegmentIndex;
let closeIndex: () => void;
let server: { url: string; close(): Promise<void> };
let door: WrittenSegment[];
let ffprobe: string;

const add = (segment: WrittenSegment) => index.finish(index.begin(segment), segment.endedAt, segment.bytes);

beforeAll(async () => {
  const route = await import('@/app/api/recordings/[id]/export.mp4/route');
  const instance = await import('@/lib/recording/segment-index-instance');
  index = instance.getSegmentIndex();
  closeIndex = instance.closeSegmentIndex;
  const ffmpeg = await ffmpegPath();
  ffprobe = path.join(path.dirname(ffmpeg), 'ffprobe');
  // 12 s as 4 segments of 3 s, then 15 s later the camera back at another size.
  const stream = parseStream(await encodeStream(ffmpeg, 12));
  door = writeSegments(dir, 'door', stream, { startedAt: T0, keyframesPerSegment: 3 });
  const larger = writeSegments(dir, 'door', parseStream(await encodeStream(ffmpeg, 3, '640x360')), { startedAt: door.at(-1)!.endedAt + 15_000, keyframesPerSegment: 3 });
  for (const segment of [...door, ...larger]) add(segment);
  // The same 3 s again and again: 400 segment files.
  for (let n = 0; n < 400; n += 1) {
    const startedAt = LONG_AT + n * 3_000;
    const relative = segmentPath('yard', startedAt);
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    copyFileSync(path.join(dir, door[0]!.path), path.join(dir, relative));
    add({ ...door[0]!, camera: 'yard', path: relative, startedAt, endedAt: startedAt + 3_000 });
  }
  server = await serveHandler(async (request) => {
    const camera = /^\/api\/recordings\/([^/]+)\/export\.mp4$/.exec(new URL(request.url).pathname)?.[1] ?? '';
    return route.GET(request, { params: Promise.resolve({ id: camera }) });
  });
});

afterAll(async () => {
  await server?.close();
  closeIndex?.();
  rmSync(directory, { recursive: true, force: true });
});

async function download(camera: string, from: number, to: number): Promise<{ response: Response; file: string }> {
  const response = await fetch(`${server.url}/api/recordings/${camera}/export.mp4?from=${from}&to=${to}`);
  const file = path.join(directory, `download-${from}-${to}.mp4`);
  writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
  return { response, file };
}

async function probe(file: string): Promise<{ frames: number; duration: number; width: number; gaps: number[] }> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames,duration,width:packet=pts_time', '-of', 'json', file]);
  const json = JSON.parse(stdout) as { streams: { nb_read_frames: string; duration: string; width: number }[]; packets: { pts_time: string }[] };
  const times = json.packets.map((packet) => Number(packet.pts_time)).sort((a, b) => a - b);
  const gaps = times.slice(1).map((time, i) => time - times[i]!).filter((gap) => Math.abs(gap - 1 / FPS) > 0.002);
  return { frames: Number(json.streams[0]!.nb_read_frames), duration: Number(json.streams[0]!.duration), width: json.streams[0]!.width, gaps };
}

const topLevelBoxes = (bytes: Uint8Array) => {
  const types: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset + 8 <= bytes.length; offset += view.getUint32(offset)) types.push(String.fromCharCode(...bytes.subarray(offset + 4, offset + 8)));
  return types;
};

describe('exporting a stretch of footage as one MP4', () => {
  it('shows from the frame at `from` to the frame covering `to`, across segments, decodable and without a gap', async () => {
    const from = T0 + 1_500;
    const to = T0 + 10_500;
    const { response, file } = await download('door', from, to);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="door-2026-12-01T12-00-01Z-12-00-10Z.mp4"');
    expect(response.headers.get('x-export-stopped')).toBeNull();
    // The frame showing at `from` starts at 1.4667 s (whole ms down); the keyframe it needs, at 1.000 s, is copied too.
    expect(Number(response.headers.get('x-clock-start'))).toBe(T0 + 1_466);
    // Decodes with no error at all.
    const decoded = await run(path.join(path.dirname(ffprobe), 'ffmpeg'), ['-v', 'error', '-i', file, '-f', 'null', '-']);
    expect(decoded.stderr).toBe('');
    // Frames shown from 1.467 s while they start before 10.5 s: 136 of the 143 copied from the
    // keyframe at 1.000 s (an edit list skips the 7 before), 1/15 s apart throughout.
    const probed = await probe(file);
    const expectedFrames = Math.ceil(((to - (T0 + 1_000)) / 1000) * FPS) - Math.floor(((from - (T0 + 1_000)) / 1000) * FPS);
    expect(expectedFrames).toBe(136);
    expect(probed.frames).toBe(expectedFrames);
    expect(probed.gaps).toEqual([]);
    expect(Math.abs(probed.duration - (to - from) / 1000)).toBeLessThan(1);
    expect(probed.duration).toBeCloseTo(expectedFrames / FPS, 1);
    // Faststart: the moov before the media.
    const boxes = topLevelBoxes(readFileSync(file));
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  });

  it('stops where the camera’s stream changed, and says so', async () => {
    const { response, file } = await download('door', T0, door.at(-1)!.endedAt + 17_000);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-export-stopped')).toMatch(/^the camera's stream changed at .* \(now avc1\.\w+ 640x360\); the export ends there$/);
    const probed = await probe(file);
    expect([probed.frames, probed.width, probed.gaps]).toEqual([12 * FPS, 320, []]);
  });

  it('refuses more than 6 hours, and answers 404 where nothing is recorded', async () => {
    const tooLong = await fetch(`${server.url}/api/recordings/door/export.mp4?from=${T0}&to=${T0 + 6 * 3_600_000 + 1}`);
    expect([tooLong.status, await tooLong.json()]).toEqual([400, { error: 'to: must be at most 6 hours after from', parameter: 'to' }]);
    const nothing = await fetch(`${server.url}/api/recordings/door/export.mp4?from=${T0 - 60_000}&to=${T0 - 1}`);
    expect(nothing.status).toBe(404);
  });

  it('stops ffmpeg and deletes its temporary file when the client leaves', async () => {
    const exports = () => readdirSync(tmpdir()).filter((name) => name.startsWith('camdash-export-'));
    const before = new Set(exports());
    const ffmpegs = () => readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && readCmdline(pid).includes('camdash-export-'));
    const url = `${server.url}/api/recordings/yard/export.mp4?from=${LONG_AT}&to=${LONG_AT + 20 * 60_000}`;
    // What the whole export takes here, so that ffmpeg ending much sooner shows it was stopped.
    const wholeStarted = performance.now();
    expect((await fetch(url).then(async (response) => [response.status, (await response.arrayBuffer()).byteLength > 0]))).toEqual([200, true]);
    const wholeMs = performance.now() - wholeStarted;

    const leaving = new AbortController();
    const request = fetch(url, { signal: leaving.signal }).catch(() => 'left');
    await waitFor(() => ffmpegs().length > 0, { message: 'the export’s ffmpeg to start' });
    const leftAt = performance.now();
    leaving.abort();
    expect(await request).toBe('left');
    await waitFor(() => ffmpegs().length === 0, { message: 'the export’s ffmpeg to stop' });
    expect(performance.now() - leftAt).toBeLessThan(wholeMs / 2);
    await waitFor(() => exports().every((name) => before.has(name)), { message: 'the temporary file to be deleted' });
  });
});

function readCmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
