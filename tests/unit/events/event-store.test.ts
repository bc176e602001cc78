import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventStore, type EventStoreOptions } from '@/lib/events/event-store';
import { EventStoreError } from '@/lib/events/event-store-error';
import { SCHEMA_VERSION } from '@/lib/events/schema';
import { jpegOf, trackedEvent } from './tracked-event';

const DAY = 24 * 60 * 60_000;
const T0 = Date.UTC(2026, 11, 1, 12);

let directory: string;
let file: string;
let clock: number;
const stores: EventStore[] = [];

function open(options: Partial<EventStoreOptions> = {}): EventStore {
  const store = EventStore.open(file, { maxAgeDays: 30, maxEvents: 1_000, now: () => clock, ...options });
  stores.push(store);
  return store;
}

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'camdash-events-'));
  file = path.join(directory, 'data', 'events.sqlite');
  clock = T0;
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the event store', () => {
  it('creates its file in WAL mode, for its user only, at the current schema version', () => {
    open();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); // incremental
    db.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps an event through its updates: zones, peak, heatmap and end', () => {
    const store = open();
    const id = store.begin('door', trackedEvent({ startedAt: T0, zones: ['path'] }));
    expect(store.get(id)).toMatchObject({ id, camera: 'door', startedAt: T0, endedAt: null, zones: ['path'], lastSeenAt: T0, hasSnapshot: false });

    clock = T0 + 4_000;
    const heatmap = new Uint8Array(32 * 18).fill(7);
    expect(store.update(id, trackedEvent({ startedAt: T0, endedAt: T0 + 3_000, zones: ['path', 'gate'], peak: 0.4, peakAt: T0 + 1_500, heatmap }))).toBe(true);
    const event = store.get(id)!;
    expect(event).toMatchObject({ endedAt: T0 + 3_000, zones: ['path', 'gate'], peak: 0.4, peakAt: T0 + 1_500, lastSeenAt: T0 + 4_000 });
    expect([...event.heatmap]).toEqual([...heatmap]);
    expect(store.update(id + 1, trackedEvent({ startedAt: T0 }))).toBe(false);
  });

  it('keeps one snapshot per event, replaced by a later one, and none for an unknown event', () => {
    const store = open();
    const id = store.begin('door', trackedEvent({ startedAt: T0 }));
    expect(store.snapshot(id)).toBeUndefined();
    expect(store.setSnapshot(id, jpegOf(1))).toBe(true);
    clock += 1_000;
    expect(store.setSnapshot(id, jpegOf(2))).toBe(true);
    expect(store.snapshot(id)).toEqual({ jpeg: Buffer.from(jpegOf(2)), takenAt: T0 + 1_000 });
    expect(store.get(id)!.hasSnapshot).toBe(true);
    expect(store.setSnapshot(id + 1, jpegOf(3))).toBe(false);
    expect(() => store.setSnapshot(id, Uint8Array.of(1, 2, 3, 4))).toThrow(/must be a JPEG/);
  });

  it('refuses what the tracker should never hand over, naming the field', () => {
    const store = open();
    expect(() => store.begin('door', trackedEvent({ startedAt: -1 }))).toThrow(/startedAt must be a time/);
    expect(() => store.begin('door', trackedEvent({ startedAt: T0, endedAt: T0 - 1 }))).toThrow(/endedAt .* is before startedAt/);
    expect(() => store.begin('door', trackedEvent({ startedAt: T0, peak: Number.NaN }))).toThrow(/peak must be from 0 to 1/);
    expect(() => store.begin('door', trackedEvent({ startedAt: T0, heatmap: new Uint8Array(10) }))).toThrow(/heatmap must be 32×18 = 576 bytes \(got 10\)/);
    expect(() => store.begin('', trackedEvent({ startedAt: T0 }))).toThrow(EventStoreError);
    expect(() => EventStore.open(file, { maxAgeDays: 0, maxEvents: 10 })).toThrow(/maxAgeDays must be a positive/);
  });

  it('survives a restart: events and snapshots are there after close and reopen', () => {
    const first = open();
    const ended = first.begin('door', trackedEvent({ startedAt: T0, endedAt: T0 + 5_000, zones: ['path'] }));
    first.setSnapshot(ended, jpegOf(9));
    const ongoing = first.begin('yard', trackedEvent({ startedAt: T0 + 1_000 }));
    first.close();
    expect(existsSync(`${file}-wal`)).toBe(false); // checkpointed into the file at close

    const second = open();
    expect(second.list({ limit: 10 }).map((event) => [event.id, event.camera, event.endedAt])).toEqual([
      [ongoing, 'yard', null],
      [ended, 'door', T0 + 5_000],
    ]);
    expect(second.snapshot(ended)?.jpeg).toEqual(Buffer.from(jpegOf(9)));
    // Ids are never given again, even after the newest event is pruned.
    const next = second.begin('door', trackedEvent({ startedAt: T0 + 2_000 }));
    expect(next).toBeGreaterThan(ongoing);
  });

  it('survives a kill: what was written is there without a close (the WAL is replayed)', () => {
    const store = open();
    const id = store.begin('door', trackedEvent({ startedAt: T0 }));
    store.setSnapshot(id, jpegOf(4));
    // Another connection sees exactly what a new process would, with this one never closed.
    const other = new Database(file, { readonly: true });
    expect(other.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    other.close();
  });

  it('ends the events a crash left open at their last update, and leaves ended ones alone', () => {
    const first = open();
    const open1 = first.begin('door', trackedEvent({ startedAt: T0 }));
    clock = T0 + 7_000;
    first.update(open1, trackedEvent({ startedAt: T0, peak: 0.3 }));
    const open2 = first.begin('yard', trackedEvent({ startedAt: T0 + 8_000 }));
    const ended = first.begin('gate', trackedEvent({ startedAt: T0, endedAt: T0 + 2_000 }));
    // No close: the process died.

    clock = T0 + 60_000;
    const second = open();
    expect(second.endOpenEvents(clock)).toBe(2);
    expect(second.get(open1)!.endedAt).toBe(T0 + 7_000);
    expect(second.get(open2)!.endedAt).toBe(T0 + 8_000);
    expect(second.get(ended)!.endedAt).toBe(T0 + 2_000);
    expect(second.endOpenEvents(clock)).toBe(0);
  });

  it('ends only the events last seen at or before the given time', () => {
    const store = open();
    const stale = store.begin('door', trackedEvent({ startedAt: T0 }));
    clock = T0 + 10_000;
    const fresh = store.begin('yard', trackedEvent({ startedAt: T0 + 10_000 }));
    expect(store.endOpenEvents(T0 + 5_000)).toBe(1);
    expect(store.get(stale)!.endedAt).toBe(T0);
    expect(store.get(fresh)!.endedAt).toBeNull();
  });

  it('prunes by age: events that ended more than maxAgeDays ago go, with their snapshots', () => {
    const store = open({ maxAgeDays: 7 });
    const old = store.begin('door', trackedEvent({ startedAt: T0, endedAt: T0 + 1_000 }));
    store.setSnapshot(old, jpegOf(1));
    const recent = store.begin('door', trackedEvent({ startedAt: T0 + 3 * DAY, endedAt: T0 + 3 * DAY + 1_000 }));

    expect(store.prune(T0 + 7 * DAY)).toBe(0); // ended 7 days minus a second ago
    expect(store.prune(T0 + 7 * DAY + 1_001)).toBe(1);
    expect(store.get(old)).toBeUndefined();
    expect(store.snapshot(old)).toBeUndefined();
    expect(store.get(recent)).toBeDefined();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
    db.close();
  });

  it('prunes by count after each new event, keeping the newest', () => {
    const store = open({ maxEvents: 3 });
    const ids: number[] = [];
    for (let n = 0; n < 5; n += 1) {
      // Started out of order: the count keeps the newest by start, not the last written.
      const startedAt = T0 + [4, 0, 3, 1, 2][n]! * 1_000;
      ids.push(store.begin('door', trackedEvent({ startedAt, endedAt: startedAt + 500 })));
      store.setSnapshot(ids.at(-1)!, jpegOf(n));
    }
    expect(store.list({ limit: 10 }).map((event) => event.startedAt - T0)).toEqual([4_000, 3_000, 2_000]);
    expect(store.snapshot(ids[1]!)).toBeUndefined();
    expect(store.snapshot(ids[3]!)).toBeUndefined();
    expect(store.snapshot(ids[4]!)).toBeDefined();
  });

  it('gives the file back its pages after pruning snapshots', () => {
    const store = open({ maxEvents: 1 });
    const big = new Uint8Array(2_000_000).fill(0x55);
    big.set([0xff, 0xd8]);
    store.setSnapshot(store.begin('door', trackedEvent({ startedAt: T0 })), big);
    store.close();
    const full = statSync(file).size;
    const reopened = open({ maxEvents: 1 });
    reopened.begin('door', trackedEvent({ startedAt: T0 + 1_000 }));
    reopened.close();
    expect(statSync(file).size).toBeLessThan(full / 4);
  });

  it('refuses a file from a newer camdash, and one that is not a database, naming it', () => {
    open().close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => open()).toThrow(/events: events\.sqlite was written by a newer camdash/);

    const garbage = path.join(directory, 'garbage.sqlite');
    writeFileSync(garbage, 'not a database, but long enough to have a header '.repeat(20));
    expect(() => EventStore.open(garbage, { maxAgeDays: 1, maxEvents: 1 })).toThrow(/events: cannot open .*garbage\.sqlite: file is not a database/);
  });
});
