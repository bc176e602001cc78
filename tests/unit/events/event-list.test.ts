import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '@/lib/events/event-store';
import { trackedEvent } from './tracked-event';

const T0 = Date.UTC(2026, 11, 1, 12);
const s = (seconds: number) => T0 + seconds * 1_000;

let directory: string;
let store: EventStore;
const ids: Record<string, number> = {};

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'camdash-events-'));
  store = EventStore.open(path.join(directory, 'events.sqlite'), { maxAgeDays: 30, maxEvents: 100, now: () => s(1_000) });
  // name: camera, start, end (null: ongoing), in seconds after T0
  const events: [string, string, number, number | null][] = [
    ['a', 'door', 0, 10],
    ['b', 'yard', 20, 30],
    ['c', 'door', 40, 100],
    ['d', 'yard', 50, 55],
    ['e', 'door', 200, null],
    ['f', 'yard', 200, 210], // same start as e: the later id comes first
  ];
  for (const [name, camera, start, end] of events) {
    ids[name] = store.begin(camera, trackedEvent({ startedAt: s(start), endedAt: end === null ? null : s(end) }));
  }
});

afterAll(() => {
  store.close();
  rmSync(directory, { recursive: true, force: true });
});

const names = (query: Parameters<EventStore['list']>[0]) =>
  store.list(query).map((event) => Object.entries(ids).find(([, id]) => id === event.id)![0]);

describe('listing events', () => {
  it('lists newest first by start, and by id between equal starts', () => {
    expect(names({ limit: 100 })).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
  });

  it('stops at the limit', () => {
    expect(names({ limit: 2 })).toEqual(['f', 'e']);
    expect(names({ limit: 1, camera: 'door' })).toEqual(['e']);
  });

  it("keeps one camera's events", () => {
    expect(names({ limit: 100, camera: 'door' })).toEqual(['e', 'c', 'a']);
    expect(names({ limit: 100, camera: 'nobody' })).toEqual([]);
  });

  it('keeps the events that overlap [from, to], an ongoing one reaching to now', () => {
    // c (40–100) overlaps 60–70 though it started before and ended after; d (50–55) ended before 60.
    expect(names({ limit: 100, from: s(60), to: s(70) })).toEqual(['c']);
    // Touching counts: b ends at 30, c starts at 40.
    expect(names({ limit: 100, from: s(30), to: s(40) })).toEqual(['c', 'b']);
    expect(names({ limit: 100, from: s(5_000) })).toEqual(['e']);
    expect(names({ limit: 100, to: s(19) })).toEqual(['a']);
    expect(names({ limit: 100, camera: 'yard', from: s(25), to: s(60) })).toEqual(['d', 'b']);
  });

  it('pages on with to = the oldest start shown, the repeated event skipped by id', () => {
    const first = store.list({ limit: 3 });
    const next = store.list({ limit: 3, to: first.at(-1)!.startedAt }).filter((event) => !first.some((shown) => shown.id === event.id));
    expect([...first, ...next].map((event) => event.id)).toEqual([ids.f, ids.e, ids.d, ids.c, ids.b]);
  });
});
