import { describe, expect, it } from 'vitest';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import type { MediaFragment } from '@/lib/fmp4/media-fragment';
import { GopCache, MAX_CACHED_FRAGMENTS } from '@/lib/live/gop-cache';
import { LiveFeed } from '@/lib/live/live-feed';

const init = { codec: 'avc1.42C01E', bytes: new Uint8Array(8) } as InitSegment;
const fragment = (sequenceNumber: number, keyframe: boolean, size = 100): MediaFragment =>
  ({ sequenceNumber, keyframe, bytes: new Uint8Array(size), decodeTime: sequenceNumber, sampleCount: 1, trackId: 1, duration: 1 }) as MediaFragment;
const numbers = (fragments: readonly MediaFragment[]) => fragments.map((each) => each.sequenceNumber);

describe('the GOP cache', () => {
  it('keeps the fragments since the last keyframe, and none before the first keyframe', () => {
    const cache = new GopCache();
    cache.setInit(init);
    cache.add(fragment(1, false));
    expect(cache.sinceKeyframe).toEqual([]);
    for (let n = 2; n <= 14; n += 1) cache.add(fragment(n, n === 2 || n === 12));
    expect(numbers(cache.sinceKeyframe)).toEqual([12, 13, 14]);
    expect(cache.init).toBe(init);
  });

  it('forgets a GOP too long to keep whole, and begins again at the next keyframe', () => {
    const cache = new GopCache();
    cache.setInit(init);
    for (let n = 1; n <= MAX_CACHED_FRAGMENTS + 1; n += 1) cache.add(fragment(n, n === 1));
    expect(cache.sinceKeyframe).toEqual([]);
    cache.add(fragment(MAX_CACHED_FRAGMENTS + 2, true));
    expect(numbers(cache.sinceKeyframe)).toEqual([MAX_CACHED_FRAGMENTS + 2]);
  });

  it('starts over with a new init, and keeps nothing once the stream ended', () => {
    const cache = new GopCache();
    cache.setInit(init);
    cache.add(fragment(1, true));
    cache.setInit({ ...init, codec: 'avc1.640028' });
    expect(cache.sinceKeyframe).toEqual([]);
    cache.add(fragment(2, true));
    cache.clear();
    expect(cache.init).toBeUndefined();
    expect(cache.sinceKeyframe).toEqual([]);
  });
});

describe("a consumer's live feed", () => {
  const item = (n: number, keyframe: boolean, size = 100) => ({ kind: 'fragment' as const, fragment: fragment(n, keyframe, size), receivedAt: n });
  const drain = (feed: LiveFeed) => {
    const taken: number[] = [];
    for (let next = feed.take(); next; next = feed.take()) if (next.kind === 'fragment') taken.push(next.fragment.sequenceNumber);
    return taken;
  };

  it('hands over every item in order', () => {
    const feed = new LiveFeed();
    feed.push({ kind: 'init', init });
    for (let n = 1; n <= 5; n += 1) feed.push(item(n, n === 1));
    expect(feed.take()).toEqual({ kind: 'init', init });
    expect(drain(feed)).toEqual([1, 2, 3, 4, 5]);
  });

  it('skips a consumer that falls too far behind to the next keyframe, never to a frame it cannot decode', () => {
    const feed = new LiveFeed({ maxQueuedFragments: 4, maxQueuedBytes: 1_000_000 });
    for (let n = 1; n <= 5; n += 1) feed.push(item(n, n === 1));
    // Five queued: over the limit, all dropped; 6 and 7 depend on them and are dropped too.
    feed.push(item(6, false));
    feed.push(item(7, false));
    feed.push(item(8, true));
    feed.push(item(9, false));
    expect(drain(feed)).toEqual([8, 9]);
    expect(feed.skipped).toBe(7);
  });

  it('bounds the bytes a consumer holds', () => {
    const feed = new LiveFeed({ maxQueuedFragments: 1_000, maxQueuedBytes: 1_000 });
    for (let n = 1; n <= 20; n += 1) feed.push(item(n, n % 10 === 1, 300));
    expect(feed.queuedFragments).toBeLessThanOrEqual(3);
  });

  it('drops what is queued of an old stream when a new init comes', () => {
    const feed = new LiveFeed();
    feed.push(item(1, true));
    feed.push({ kind: 'ended', failure: { kind: 'disconnected', reason: 'disconnected: the camera closed the stream' } });
    feed.push({ kind: 'init', init });
    expect(feed.take()?.kind).toBe('ended');
    expect(feed.take()?.kind).toBe('init');
    expect(feed.take()).toBeUndefined();
  });

  it('wakes a waiting consumer, and ends it with null once closed', async () => {
    const feed = new LiveFeed();
    const next = feed.next();
    feed.push(item(1, true));
    expect(await next).toMatchObject({ kind: 'fragment' });
    const last = feed.next();
    feed.close();
    expect(await last).toBeNull();
  });
});
