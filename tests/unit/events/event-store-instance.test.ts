import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EventStore } from '@/lib/events/event-store';
import { closeEventStore, getEventStore } from '@/lib/events/event-store-instance';
import { DEFAULT_RETENTION, eventSettingsFromEnv } from '@/lib/events/event-settings';
import { eventsListResponse } from '@/lib/events/events-responses';
import { trackedEvent } from './tracked-event';

const directory = mkdtempSync(path.join(tmpdir(), 'camdash-events-instance-'));
const saved = process.env.CAMDASH_DATA_DIR;

afterEach(() => closeEventStore());
afterAll(() => {
  process.env.CAMDASH_DATA_DIR = saved;
  rmSync(directory, { recursive: true, force: true });
});

describe("the process's event store", () => {
  it('opens once, in the data directory, and ends what an earlier process left open', () => {
    const dataDir = path.join(directory, 'data');
    process.env.CAMDASH_DATA_DIR = dataDir;
    const processStart = Math.floor(performance.timeOrigin);
    // What a server killed before this process started left behind.
    const earlier = EventStore.open(path.join(dataDir, 'events.sqlite'), { ...DEFAULT_RETENTION, now: () => processStart - 5_000 });
    const leftOpen = earlier.begin('door', trackedEvent({ startedAt: processStart - 60_000 }));
    earlier.close();

    const store = getEventStore();
    expect(getEventStore()).toBe(store);
    expect(store.get(leftOpen)!.endedAt).toBe(processStart - 5_000);

    // One of this process's own, still going on, is not ended by opening again.
    const ongoing = store.begin('door', trackedEvent({ startedAt: Date.now() }));
    closeEventStore();
    const reopened = getEventStore();
    expect(reopened).not.toBe(store);
    expect(reopened.get(ongoing)!.endedAt).toBeNull();
  });

  it('says which file cannot be opened, and the API answers 503 rather than 500', () => {
    const broken = path.join(directory, 'broken');
    process.env.CAMDASH_DATA_DIR = broken;
    EventStore.open(path.join(broken, 'events.sqlite'), DEFAULT_RETENTION).close();
    writeFileSync(path.join(broken, 'events.sqlite'), 'this is not a database, and long enough to have a header '.repeat(20));
    expect(() => getEventStore()).toThrow(/^events: cannot open .*broken\/events\.sqlite: file is not a database/);
    const response = eventsListResponse(new URLSearchParams());
    expect(response.status).toBe(503);
  });
});

describe('event settings from the environment', () => {
  it('keeps 30 days and 5000 events unless told otherwise', () => {
    expect(eventSettingsFromEnv({ CAMDASH_DATA_DIR: '/srv/camdash' })).toEqual({
      file: '/srv/camdash/events.sqlite',
      limits: DEFAULT_RETENTION,
      problems: [],
    });
    expect(eventSettingsFromEnv({ CAMDASH_EVENTS_DAYS: '7.5', CAMDASH_EVENTS_MAX: '200' }).limits).toEqual({ maxAgeDays: 7.5, maxEvents: 200 });
  });

  it('names a setting it cannot read, and uses the default for it', () => {
    const settings = eventSettingsFromEnv({ CAMDASH_EVENTS_DAYS: 'a week', CAMDASH_EVENTS_MAX: '10.5' });
    expect(settings.limits).toEqual(DEFAULT_RETENTION);
    expect(settings.problems).toEqual([
      'CAMDASH_EVENTS_DAYS: must be a positive number (got "a week"); using 30',
      'CAMDASH_EVENTS_MAX: must be a positive whole number (got "10.5"); using 5000',
    ]);
  });
});
