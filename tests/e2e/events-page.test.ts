import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '@/lib/events/event-store';
import { DEFAULT_RETENTION, EVENTS_FILE_NAME } from '@/lib/events/event-settings';
import { HEATMAP, type TrackedEvent } from '@/lib/motion/types';
import { openE2eSession, type E2eSession } from '../helpers/e2e-session';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';

// The events page on the production server, over a store seeded as the detector would have left
// it: ended events with their pictures, one a kill left open, and one going on right now.
const MIN = 60_000;
const NOW = Date.now();
const dataDir = mkdtempSync(path.join(tmpdir(), 'camdash-events-data-'));
const eventsFile = path.join(dataDir, EVENTS_FILE_NAME);
const camerasFile = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-events-')), 'cameras.json');
// Disabled: the page needs their names, not their pictures, and nothing else runs on the machine.
writeFileSync(
  camerasFile,
  JSON.stringify({
    cameras: [
      { id: 'door', name: 'Front door', source: 'test:testsrc2', enabled: false },
      { id: 'yard', name: 'Back yard', source: 'test:smptebars', enabled: false },
    ],
  }),
);

/** A full-size picture as a camera gives it: 1280×720, real JPEG, made by ffmpeg. */
const picture = (pattern: string) =>
  new Uint8Array(execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `${pattern}=size=1280x720`, '-frames:v', '1', '-f', 'mjpeg', 'pipe:1']));

/** Motion in a block of the picture, as the tracker's heatmap has it. */
function heatmapAt(column: number, row: number): Uint8Array {
  const cells = new Uint8Array(HEATMAP.width * HEATMAP.height);
  for (let y = row; y < row + 4; y += 1) for (let x = column; x < column + 3; x += 1) cells[y * HEATMAP.width + x] = 255;
  return cells;
}

type Seeded = { camera: string; start: number; end: number | null; lastSeen?: number; zones?: string[]; peak?: number; pictured?: boolean };
const ids: Record<'oldest' | 'yardEnded' | 'killed' | 'doorRecent' | 'ongoing', number> = { oldest: 0, yardEnded: 0, killed: 0, doorRecent: 0, ongoing: 0 };

function record(store: EventStore, setClock: (ms: number) => void, seeded: Seeded, jpeg: Uint8Array): number {
  const event: TrackedEvent = {
    startedAt: seeded.start,
    endedAt: null,
    zones: seeded.zones ?? [],
    peak: seeded.peak ?? 0.1,
    peakAt: seeded.start + 1_000,
    heatmap: heatmapAt(10, 6),
  };
  setClock(seeded.start);
  const id = store.begin(seeded.camera, event);
  setClock(seeded.lastSeen ?? seeded.end ?? seeded.start);
  store.update(id, { ...event, endedAt: seeded.end });
  if (seeded.pictured !== false) store.setSnapshot(id, jpeg);
  return id;
}

let session: E2eSession;

beforeAll(async () => {
  const jpeg = picture('testsrc2');
  let clock = NOW;
  const store = EventStore.open(eventsFile, { ...DEFAULT_RETENTION, now: () => clock });
  const setClock = (ms: number) => (clock = ms);
  ids.oldest = record(store, setClock, { camera: 'door', start: NOW - 180 * MIN, end: NOW - 180 * MIN + 12_000, zones: ['path'], peak: 0.2 }, jpeg);
  ids.yardEnded = record(store, setClock, { camera: 'yard', start: NOW - 120 * MIN, end: NOW - 120 * MIN + 75_000, zones: ['gate', 'lawn'] }, jpeg);
  // A server killed 10 minutes into this one: the next start ends it where it was last seen.
  ids.killed = record(store, setClock, { camera: 'yard', start: NOW - 90 * MIN, end: null, lastSeen: NOW - 80 * MIN, pictured: false }, jpeg);
  ids.doorRecent = record(store, setClock, { camera: 'door', start: NOW - 60 * MIN, end: NOW - 60 * MIN + 5_000, peak: 0.05 }, jpeg);
  store.close();

  session = await openE2eSession({ camerasFile, env: { CAMDASH_DATA_DIR: dataDir } });
  // The server opens its store at the first request; an event the detector begins after that is
  // this server's own, and goes on. Written by a second connection, as SQLite's WAL allows.
  expect((await fetch(`${session.server.url}/api/events`)).status).toBe(200);
  const live = EventStore.open(eventsFile, DEFAULT_RETENTION);
  ids.ongoing = record(live, () => {}, { camera: 'door', start: NOW - 30_000, end: null, zones: ['path'], peak: 0.3 }, picture('smptebars'));
  live.close();
});

afterAll(async () => {
  await session?.close();
});

const rowIds = (page: Page) => page.locator('[data-event-list] > li').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-event-id'))));
const row = (page: Page, id: number) => page.locator(`[data-event-list] > li[data-event-id="${id}"]`);
/** A datetime-local value in the browser's own time zone, as a person would type it. */
const localInput = (page: Page, ms: number) =>
  page.evaluate((at) => {
    const date = new Date(at);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
  }, ms);

describe('the events page', () => {
  it('is linked from the header, and lists events newest first', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/`);
    await page.getByRole('link', { name: 'Events', exact: true }).click();
    await page.waitForURL(`${session.server.url}/events`);
    expect(await rowIds(page)).toEqual([ids.ongoing, ids.doorRecent, ids.killed, ids.yardEnded, ids.oldest]);
    expect(await row(page, ids.yardEnded).locator('[data-event-camera]').innerText()).toBe('Back yard');
    expect(await row(page, ids.yardEnded).locator('[data-event-zones]').innerText()).toMatch(/gate\s+lawn/);
    expect(await row(page, ids.yardEnded).locator('[data-event-duration]').innerText()).toBe('1 min 15 s');
    await page.close();
  });

  it('shows the event going on as ongoing, and the one a kill left open as ended where it was last seen', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/events`);
    expect(await row(page, ids.ongoing).getAttribute('data-ongoing')).toBe('true');
    expect(await row(page, ids.ongoing).locator('[data-event-duration]').innerText()).toBe('ongoing');
    expect(await row(page, ids.killed).getAttribute('data-ongoing')).toBe('false');
    expect(await row(page, ids.killed).locator('[data-event-duration]').innerText()).toBe('10 min');
    expect(await row(page, ids.killed).locator('[data-event-thumbnail]').innerText()).toBe('No picture yet');
    await page.close();
  });

  it('loads the thumbnails small, with the heatmap over them', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/events`);
    for (const id of [ids.ongoing, ids.doorRecent, ids.yardEnded]) {
      const image = row(page, id).locator('img');
      const natural = await waitFor(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { message: `thumbnail of event ${id}` });
      expect(natural).toBe(1280);
      const shown = await image.boundingBox();
      expect(shown!.width).toBeLessThanOrEqual(160);
      // The heatmap lies exactly over the picture.
      const heatmap = (await row(page, id).locator('canvas[data-heatmap]').boundingBox())!;
      for (const side of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(heatmap[side] - shown![side]), side).toBeLessThan(1);
    }
    expect(session.consoleErrors.problems).toEqual([]);
    await page.close();
  });

  it('filters by camera and by time, and the filter stays in the address', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/events`);
    await page.locator('[data-event-filters] select[name="camera"]').selectOption('yard');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/events\?camera=yard$/);
    await waitFor(async () => (await rowIds(page)).join() === [ids.killed, ids.yardEnded].join(), { message: "the yard's events only" });

    await page.reload();
    expect(await page.locator('select[name="camera"]').inputValue()).toBe('yard');
    await page.locator('select[name="camera"]').selectOption('');
    await page.locator('input[name="from"]').fill(await localInput(page, NOW - 200 * MIN));
    await page.locator('input[name="to"]').fill(await localInput(page, NOW - 100 * MIN));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/events\?from=\d+&to=\d+$/);
    await waitFor(async () => (await rowIds(page)).join() === [ids.yardEnded, ids.oldest].join(), { message: 'the events between 200 and 100 minutes ago' });

    await page.locator('select[name="camera"]').selectOption('door');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitFor(async () => (await rowIds(page)).join() === String(ids.oldest), { message: "the door's event of that time" });
    await page.getByRole('link', { name: 'Clear' }).click();
    await waitFor(async () => (await rowIds(page)).length === 5, { message: 'every event again' });

    await page.goto(`${session.server.url}/events?from=yesterday`);
    expect(await page.locator('[data-events-problem]').innerText()).toMatch(/from: must be a time in epoch milliseconds/);
    expect(session.consoleErrors.problems).toEqual([]);
    await page.close();
  });

  it('opens the snapshot full size, steps to the next older one, and closes', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/events`);
    await row(page, ids.doorRecent).locator('[data-event-thumbnail]').click();
    const dialog = page.locator(`dialog[data-snapshot-dialog="${ids.doorRecent}"]`);
    await dialog.waitFor();
    const full = dialog.locator('img[data-full-snapshot]');
    expect(await waitFor(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))).toBe(1280);
    expect((await full.boundingBox())!.width).toBeGreaterThan(640);

    // The killed event has no picture: the next older one with a picture is the yard's.
    await page.keyboard.press('ArrowRight');
    await page.locator(`dialog[data-snapshot-dialog="${ids.yardEnded}"]`).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('dialog[data-snapshot-dialog]').waitFor({ state: 'detached' });
    expect(session.consoleErrors.problems).toEqual([]);
    await page.close();
  });

  it('pages on with "Show older events"', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.server.url}/events?limit=2`);
    expect(await rowIds(page)).toEqual([ids.ongoing, ids.doorRecent]);
    await page.getByRole('button', { name: 'Show older events' }).click();
    await waitFor(async () => (await rowIds(page)).length === 4, { message: 'two more events' });
    await page.getByRole('button', { name: 'Show older events' }).click();
    await page.getByText('No older events.').waitFor();
    expect(await rowIds(page)).toEqual([ids.ongoing, ids.doorRecent, ids.killed, ids.yardEnded, ids.oldest]);
    await page.close();
  });
});

describe('the events behind the login', () => {
  let server: NextServer;
  const password = 'events-e2e-Pa55';

  beforeAll(async () => {
    server = await startNextServer({ camerasFile, env: { CAMDASH_AUTH: '', CAMDASH_PASSWORD: password } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('answers 401 and sends the page to the login without a session, and explains how to get events with one', async () => {
    const request = (url: string, init: RequestInit = {}) => fetch(`${server.url}${url}`, { redirect: 'manual', ...init });
    for (const url of ['/api/events', '/api/events?camera=door', '/api/events/1', '/api/events/1/snapshot']) expect((await request(url)).status, url).toBe(401);
    const page = await request('/events');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/\/login\?next=%2Fevents$/);

    const login = await request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await (await request('/api/events', { headers: { cookie } })).json()) as unknown).toEqual({ events: [] });
    const html = await (await request('/events', { headers: { cookie } })).text();
    expect(html).toContain('No motion events yet.');
    expect(html).toContain('&quot;motion&quot;: true');
  });
});
