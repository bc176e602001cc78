import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fmp4Reader } from '@/lib/fmp4/fmp4-reader';
import type { SegmentIndex } from '@/lib/recording/segment-index';
import { serveHandler } from '../../helpers/route-server';
import { encodeStream, ffmpegPath, parseStream, writeSegments, type WrittenSegment } from './recorded-fixture';

// The real route handlers over real HTTP, on the process's index, with real segment files.
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-recordings-api-'));
process.env.CAMDASH_DATA_DIR = path.join(directory, 'data');
process.env.CAMDASH_RECORDINGS_DIR = path.join(directory, 'recordings');

// Ten minutes ago, so that the default range (the last 24 h) holds it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
const GAP_MS = 3_000;
let index: SegmentIndex;
let closeIndex: () => void;
let server: { url: string; close(): Promise<void> };
let first: WrittenSegment[]; // 3 contiguous segments of 2 s (a GOP is 1 s)
let second: WrittenSegment[]; // one 3 s segment GAP_MS later, still being written

beforeAll(async () => {
  const spans = await import('@/app/api/recordings/[id]/route');
  const media = await import('@/app/api/recordings/[id]/media/route');
  const exported = await import('@/app/api/recordings/[id]/export.mp4/route');
  const instance = await import('@/lib/recording/segment-index-instance');
  index = instance.getSegmentIndex();
  closeIndex = instance.closeSegmentIndex;
  const stream = parseStream(await encodeStream(await ffmpegPath(), 9));
  const dir = process.env.CAMDASH_RECORDINGS_DIR!;
  first = writeSegments(dir, 'door', { init: stream.init, fragments: stream.fragments.slice(0, 90) }, { startedAt: T0, keyframesPerSegment: 2 });
  const firstEnd = first.at(-1)!.endedAt;
  second = writeSegments(dir, 'door', { init: stream.init, fragments: stream.fragments.slice(90) }, { startedAt: firstEnd + GAP_MS, keyframesPerSegment: 4 });
  for (const segment of first) index.finish(index.begin(segment), segment.endedAt, segment.bytes);
  // Its row last extended a second in: the file is ahead of it, as while the recorder writes.
  const writing = index.begin(second[0]!);
  index.extend(writing, second[0]!.startedAt + 1_000, 1_000);

  const params = (url: URL) => ({ params: Promise.resolve({ id: decodeURIComponent(/^\/api\/recordings\/([^/]+)/.exec(url.pathname)?.[1] ?? '') }) });
  server = await serveHandler(async (request) => {
    const url = new URL(request.url);
    if (/^\/api\/recordings\/[^/]+$/.test(url.pathname)) return spans.GET(request, params(url));
    if (/^\/api\/recordings\/[^/]+\/media$/.test(url.pathname)) return media.GET(request, params(url));
    if (/^\/api\/recordings\/[^/]+\/export\.mp4$/.test(url.pathname)) return exported.GET(request, params(url));
    return new Response('no such route in this test', { status: 418 });
  });
});

afterAll(async () => {
  await server?.close();
  closeIndex?.();
  rmSync(directory, { recursive: true, force: true });
});

const get = (pathAndQuery: string) => fetch(`${server.url}${pathAndQuery}`);

describe('GET /api/recordings/<camera>', () => {
  it('gives the spans of the last 24 h by default, segments cut one after the other joined', async () => {
    const response = await get('/api/recordings/door');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    expect(await response.json()).toEqual({
      spans: [
        { start: T0, end: first.at(-1)!.endedAt },
        { start: second[0]!.startedAt, end: second[0]!.startedAt + 1_000 },
      ],
    });
  });

  it('clips to from and to, and has none for a camera never recorded', async () => {
    expect(await (await get(`/api/recordings/door?from=${T0 + 1_000}&to=${T0 + 2_500}`)).json()).toEqual({ spans: [{ start: T0 + 1_000, end: T0 + 2_500 }] });
    expect(await (await get(`/api/recordings/door?from=${T0 - 100_000}&to=${T0 - 1}`)).json()).toEqual({ spans: [] });
    expect(await (await get('/api/recordings/gate')).json()).toEqual({ spans: [] });
  });

  it('answers bad parameters with 400, naming the parameter', async () => {
    for (const [query, parameter, message] of [
      ['/api/recordings/Door', 'id', /camera id/],
      ['/api/recordings/door?from=yesterday', 'from', /epoch milliseconds/],
      [`/api/recordings/door?from=${T0}&to=${T0}`, 'from', /before to/],
      [`/api/recordings/door?from=0&to=${32 * 86_400_000}`, 'to', /31 days/],
      ['/api/recordings/door?from=1&from=2', 'from', /more than once/],
      ['/api/recordings/door?at=1', 'at', /not a parameter/],
    ] as const) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: string; parameter: string };
      expect(body.parameter, query).toBe(parameter);
      expect(body.error, query).toMatch(message);
    }
  });
});

type MediaAnswer = { status: number; headers: Headers; fragments: { keyframe: boolean; decodeTime: number }[]; init: boolean };

async function media(camera: string, at: number): Promise<MediaAnswer> {
  const response = await get(`/api/recordings/${camera}/media?at=${at}`);
  const body = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200) return { status: response.status, headers: response.headers, fragments: [], init: false };
  expect(response.headers.get('content-length')).toBe(String(body.length));
  const events = new Fmp4Reader().push(body);
  return {
    status: 200,
    headers: response.headers,
    init: events[0]?.kind === 'init',
    fragments: events.flatMap((event) => (event.kind === 'fragment' ? [{ keyframe: event.fragment.keyframe, decodeTime: event.fragment.decodeTime }] : [])),
  };
}

const header = (answer: MediaAnswer, name: string) => answer.headers.get(name) ?? undefined;

describe('GET /api/recordings/<camera>/media', () => {
  it('starts at the keyframe at or before the moment asked, with the headers that place it on the clock', async () => {
    const at = first[1]!.startedAt + 1_500; // in the second GOP of the second segment
    const answer = await media('door', at);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('video/mp4');
    expect(answer.init).toBe(true);
    expect(answer.fragments[0]!.keyframe).toBe(true);
    const clockStart = Number(header(answer, 'x-clock-start'));
    expect(clockStart).toBe(first[1]!.startedAt + 1_000);
    const timescale = first[1]!.timescale;
    expect(Number(header(answer, 'x-media-start'))).toBeCloseTo(answer.fragments[0]!.decodeTime / timescale, 9);
    expect(Number(header(answer, 'x-clock-end'))).toBe(first[1]!.endedAt);
    expect(header(answer, 'x-next')).toBe(String(first[1]!.endedAt));
    expect(header(answer, 'x-codec')).toMatch(/^avc1\./);
  });

  it('followed by X-Next, plays a span once through, every frame once, and ends where the span does', async () => {
    const seen: number[] = [];
    let at: number | undefined = T0 - 2_000; // just before: the first segment
    let previousEnd: number | undefined;
    for (let step = 0; at !== undefined && step < 20; step += 1) {
      const answer = await media('door', at);
      expect(answer.status, `at ${at}`).toBe(200);
      if (previousEnd !== undefined) expect(Number(header(answer, 'x-clock-start'))).toBe(previousEnd);
      previousEnd = Number(header(answer, 'x-clock-end'));
      seen.push(...answer.fragments.map((fragment) => fragment.decodeTime));
      const next = header(answer, 'x-next');
      at = next === undefined ? undefined : Number(next);
    }
    expect(at).toBeUndefined();
    expect(seen).toEqual(first.flatMap((segment) => segment.fragments.map((fragment) => fragment.decodeTime)));
  });

  it('finds the segment after a short gap, serves the one being written as far as its file goes, and 404s far from footage', async () => {
    const inGap = await media('door', first.at(-1)!.endedAt + 1_000);
    expect(Number(header(inGap, 'x-clock-start'))).toBe(second[0]!.startedAt);
    // The open segment's row says 1 s; its file holds 3 s, all of it served but its last GOP
    // (the next request starts there), with X-Next as the recording goes on.
    expect(inGap.fragments).toHaveLength(second[0]!.fragments.length - 15);
    expect(header(inGap, 'x-next')).toBe(String(second[0]!.startedAt + 2_000));
    const far = await get(`/api/recordings/door/media?at=${T0 - 60_000}`);
    expect(far.status).toBe(404);
    expect(await far.json()).toMatchObject({ error: expect.stringMatching(/^nothing is recorded near /) });
    expect((await get('/api/recordings/door/media')).status).toBe(400);
  });
});

describe('fuzzed ids and queries', () => {
  // A seeded generator: a failure names its input, and the same run gives the same inputs again.
  let seed = 20261219;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const NAMES = ['from', 'to', 'at', 'x', '', 'From', 'to[]', '__proto__'];
  const times = () => [String(T0), String(T0 + 1_000), String(T0 + 7_999), String(T0 + 30_000), String(T0 - 5_000), String(T0 - 60_000)];
  const VALUES = ['', '0', '1', '-1', '1e3', '0x10', 'NaN', 'Infinity', '9'.repeat(17), '8640000000000000', '8640000000000001', 'door', '%', '%zz', '%00', 'é', '../../etc', "'; DROP TABLE segments; --"];
  const IDS = ['door', 'yard', 'Door', '-door', 'a'.repeat(65), 'door%2F..', '%00', 'é', '1', '__proto__'];
  const junk = () => Array.from({ length: Math.floor(random() * 12) }, () => String.fromCharCode(Math.floor(random() * 0x2ff))).join('');
  const value = () => (random() < 0.2 ? junk() : random() < 0.4 ? pick(times()) : pick(VALUES));
  const randomQuery = () => Array.from({ length: Math.floor(random() * 4) }, () => `${encodeURIComponent(pick(NAMES))}=${random() < 0.5 ? encodeURIComponent(value()) : value()}`).join('&');

  // Some queries have the route's own parameters, mostly with times near the footage: past the checks, into the footage.
  const shapedQuery = (names: string[]) => names.map((name) => `${name}=${random() < 0.8 ? pick(times()) : encodeURIComponent(value())}`).join('&');
  const OWN: Record<string, string[]> = { '': ['from', 'to'], '/media': ['at'], '/export.mp4': ['from', 'to'] };
  const query = (suffix: string) => (random() < 0.4 ? shapedQuery(OWN[suffix]!) : randomQuery());

  for (const suffix of ['', '/media', '/export.mp4']) {
    it(`never answers GET /api/recordings/<id>${suffix} with a 500`, async () => {
      const statuses = new Set<number>();
      for (let n = 0; n < 300; n += 1) {
        const id = random() < 0.6 ? 'door' : random() < 0.5 ? pick(IDS) : encodeURIComponent(junk());
        if (id === '' || id === '.' || id === '..') continue; // not a segment the router sees
        const url = `/api/recordings/${id}${suffix}?${query(suffix).replaceAll('#', '%23')}`;
        const response = await get(url);
        expect([200, 400, 404], url).toContain(response.status);
        statuses.add(response.status);
        if (response.status !== 200) expect(await response.json(), url).toMatchObject({ error: expect.any(String) });
        else await response.arrayBuffer();
      }
      // The inputs reach past the checks too, into footage and the lack of it.
      expect([...statuses].sort(), suffix).toEqual(suffix === '' ? [200, 400] : [200, 400, 404]);
    }, 120_000);
  }
});
