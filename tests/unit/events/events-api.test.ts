import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '@/lib/events/event-store';
import type { EventJson } from '@/lib/events/event-json';
import { serveHandler } from '../../helpers/route-server';
import { jpegOf, trackedEvent } from './tracked-event';

// The real route handlers over real HTTP, on the process's store in a data directory of their own.
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-events-api-'));
process.env.CAMDASH_DATA_DIR = directory;

const T0 = Date.UTC(2026, 11, 1, 12);
let store: EventStore;
let closeStore: () => void;
let server: { url: string; close(): Promise<void> };
let snapshotRoute: typeof import('@/app/api/events/[id]/snapshot/route');
const ids = { ended: 0, ongoing: 0 };

beforeAll(async () => {
  const list = await import('@/app/api/events/route');
  const one = await import('@/app/api/events/[id]/route');
  const snapshot = (snapshotRoute = await import('@/app/api/events/[id]/snapshot/route'));
  const instance = await import('@/lib/events/event-store-instance');
  store = instance.getEventStore();
  closeStore = instance.closeEventStore;
  ids.ended = store.begin('door', trackedEvent({ startedAt: T0, endedAt: T0 + 4_000, zones: ['path'], peak: 0.25 }));
  store.setSnapshot(ids.ended, jpegOf(1));
  ids.ongoing = store.begin('yard', trackedEvent({ startedAt: T0 + 10_000 }));

  // Next hands a dynamic route its decoded segment; a segment that does not decode is refused
  // before (proxy.ts), so it never reaches a handler.
  const params = (url: URL, pattern: RegExp) => ({ params: Promise.resolve({ id: decodeURIComponent(pattern.exec(url.pathname)?.[1] ?? '') }) });
  server = await serveHandler(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/events') return list.GET(request);
    if (/^\/api\/events\/[^/]+\/snapshot$/.test(url.pathname)) return snapshot.GET(request, params(url, /^\/api\/events\/([^/]+)/));
    if (/^\/api\/events\/[^/]+$/.test(url.pathname)) return one.GET(request, params(url, /^\/api\/events\/([^/]+)/));
    return new Response('no such route in this test', { status: 418 });
  });
});

afterAll(async () => {
  await server?.close();
  closeStore?.();
  rmSync(directory, { recursive: true, force: true });
});

const get = (pathAndQuery: string, init?: RequestInit) => fetch(`${server.url}${pathAndQuery}`, init);

describe('GET /api/events', () => {
  it('lists events newest first, times in epoch ms, endedAt null while ongoing, snapshot a URL or null', async () => {
    const response = await get('/api/events');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const { events } = (await response.json()) as { events: EventJson[] };
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ id: ids.ongoing, camera: 'yard', startedAt: T0 + 10_000, endedAt: null, snapshot: null });
    expect(events[1]).toMatchObject({
      id: ids.ended,
      camera: 'door',
      startedAt: T0,
      endedAt: T0 + 4_000,
      zones: ['path'],
      peak: 0.25,
      snapshot: `/api/events/${ids.ended}/snapshot`,
    });
    const { width, height, cells } = events[1]!.heatmap;
    expect([width, height]).toEqual([32, 18]);
    const heatmap = Buffer.from(cells, 'base64');
    expect([heatmap.length, heatmap[0]]).toEqual([576, 255]);
  });

  it('filters by camera and time, and limits', async () => {
    const names = async (query: string) => ((await (await get(`/api/events?${query}`)).json()) as { events: EventJson[] }).events.map((event) => event.camera);
    expect(await names('camera=door')).toEqual(['door']);
    expect(await names(`from=${T0 + 5_000}`)).toEqual(['yard']);
    expect(await names(`to=${T0 + 9_999}`)).toEqual(['door']);
    expect(await names('limit=1')).toEqual(['yard']);
    expect(await names('camera=&from=&to=&limit=')).toEqual(['yard', 'door']);
  });

  it('answers bad parameters with 400 and an error naming the parameter', async () => {
    for (const [query, parameter] of [
      ['camera=No%20Such', 'camera'],
      ['from=yesterday', 'from'],
      ['to=-3', 'to'],
      [`from=${T0 + 1}&to=${T0}`, 'from'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['order=asc', 'order'],
    ]) {
      const response = await get(`/api/events?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: string; parameter: string };
      expect(body.parameter, query).toBe(parameter);
      expect(body.error, query).toMatch(new RegExp(`^${parameter}: `));
    }
  });
});

describe('GET /api/events/<id> and its snapshot', () => {
  it('serves the snapshot as a JPEG, and spares an unchanged one with its ETag', async () => {
    const response = await get(`/api/events/${ids.ended}/snapshot`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(jpegOf(1));
    const etag = response.headers.get('etag')!;
    // Straight to the handler: the test server hands on no request headers.
    const again = new Request(`http://localhost/api/events/${ids.ended}/snapshot`, { headers: { 'If-None-Match': etag } });
    const cached = await snapshotRoute.GET(again, { params: Promise.resolve({ id: String(ids.ended) }) });
    expect([cached.status, cached.headers.get('etag')]).toEqual([304, etag]);
    store.setSnapshot(ids.ended, jpegOf(2));
    const changed = await snapshotRoute.GET(again, { params: Promise.resolve({ id: String(ids.ended) }) });
    expect(changed.status).toBe(200);
  });

  it('answers 404 with JSON for an unknown event and for one without a snapshot yet, 400 for a malformed id', async () => {
    const unknown = await get('/api/events/999999/snapshot');
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: 'unknown event' }]);
    const none = await get(`/api/events/${ids.ongoing}/snapshot`);
    expect([none.status, await none.json()]).toEqual([404, { error: 'this event has no snapshot yet' }]);
    for (const id of ['abc', '0', '-1', '1.5', '%20']) {
      const response = await get(`/api/events/${id}/snapshot`);
      expect(response.status, id).toBe(400);
      expect(await response.json(), id).toMatchObject({ parameter: 'id' });
    }
  });

  it('gives one event as JSON', async () => {
    const response = await get(`/api/events/${ids.ongoing}`);
    expect(await response.json()).toMatchObject({ id: ids.ongoing, camera: 'yard', endedAt: null });
    expect((await get('/api/events/123456789')).status).toBe(404);
  });
});

describe('fuzzed queries and ids', () => {
  // A seeded generator: a failure names its input, and the same run gives the same inputs again.
  let seed = 20261201;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const NAMES = ['camera', 'from', 'to', 'limit', 'x', '', 'Camera', 'limit[]', '__proto__'];
  const VALUES = ['', '0', '1', '-1', '500', '501', '1e3', '0x10', 'NaN', 'Infinity', '9'.repeat(30), 'door', 'front-door', 'a b', '%', '%zz', '%00', 'é', '\u{1F4F7}', '../../etc', "'; DROP TABLE events; --", String(T0), String(T0 + 10_000)];
  const junk = () => Array.from({ length: Math.floor(random() * 12) }, () => String.fromCharCode(Math.floor(random() * 0x2ff))).join('');
  const value = () => (random() < 0.2 ? junk() : pick(VALUES));

  it('never answers a random query with a 500: 200 or 400, with JSON', async () => {
    for (let n = 0; n < 300; n += 1) {
      const query = Array.from({ length: Math.floor(random() * 5) }, () => `${encodeURIComponent(pick(NAMES))}=${random() < 0.5 ? encodeURIComponent(value()) : value()}`).join('&');
      const response = await get(`/api/events?${query.replaceAll('#', '%23')}`);
      expect([200, 400], query).toContain(response.status);
      expect(await response.json(), query).toBeTypeOf('object');
    }
  });

  it('never answers a random event id with a 500: 200, 304, 400 or 404', async () => {
    for (let n = 0; n < 300; n += 1) {
      const id = random() < 0.5 ? String(Math.floor(random() * 4)) : encodeURIComponent(value());
      if (id === '' || id === '.' || id === '..') continue; // not a segment the router sees
      for (const suffix of ['', '/snapshot']) {
        const response = await get(`/api/events/${id}${suffix}`);
        expect([200, 304, 400, 404], `${id}${suffix}`).toContain(response.status);
      }
    }
  });
});
