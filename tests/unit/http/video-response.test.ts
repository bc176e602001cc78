import { describe, expect, it } from 'vitest';
import type { VideoSubscription } from '@/lib/capture/registry';
import type { InitSegment } from '@/lib/fmp4/init-segment';
import type { MediaFragment } from '@/lib/fmp4/media-fragment';
import { MAX_BEHIND_MS, videoPartSource, videoResponse } from '@/lib/http/video-response';
import { LiveFeed } from '@/lib/live/live-feed';
import { boundaryFromContentType, MultipartReader, type MultipartPart } from '@/lib/mjpeg/multipart-reader';

const init = { codec: 'avc1.42C01E', width: 640, height: 360, bytes: new Uint8Array([1, 2, 3]) } as InitSegment;
const fragment = (sequenceNumber: number, keyframe: boolean): MediaFragment =>
  ({ sequenceNumber, keyframe, bytes: Uint8Array.of(sequenceNumber), decodeTime: sequenceNumber, sampleCount: 1, trackId: 1, duration: 1 }) as MediaFragment;

function subscription(): VideoSubscription & { released: number; bytes: number } {
  const feed = new LiveFeed();
  const result = { cameraId: 'door', feed, released: 0, bytes: 0, delivered: (bytes: number) => (result.bytes += bytes), release: () => (result.released += 1) };
  return result;
}

async function readParts(response: Response, count: number): Promise<MultipartPart[]> {
  const reader = response.body!.getReader();
  const multipart = new MultipartReader(boundaryFromContentType(response.headers.get('content-type'))!);
  const parts: MultipartPart[] = [];
  while (parts.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(...multipart.push(value));
  }
  await reader.cancel();
  return parts;
}

describe("a camera's video as a response", () => {
  it('sends the init with its codec, then every fragment in order', async () => {
    const held = subscription();
    held.feed.push({ kind: 'init', init });
    for (let n = 1; n <= 3; n += 1) held.feed.push({ kind: 'fragment', fragment: fragment(n, n === 1), receivedAt: Date.now() });
    const parts = await readParts(videoResponse(held, new AbortController().signal, undefined), 4);
    expect(parts.map((part) => part.headers['x-video'])).toEqual(['init', 'fragment', 'fragment', 'fragment']);
    expect(parts[0]!.headers).toMatchObject({ 'content-type': 'video/mp4', 'x-codec': 'avc1.42C01E', 'x-width': '640', 'x-camera': 'door' });
    expect(parts.slice(1).map((part) => part.body[0])).toEqual([1, 2, 3]);
    expect(parts[1]!.headers['x-keyframe']).toBe('1');
    expect(held.released).toBe(1);
    expect(held.bytes).toBeGreaterThan(0);
  });

  it("sends a new viewer's backlog (init and the frames since the keyframe) in one write, so the player can jump before it paints", async () => {
    const held = subscription();
    held.feed.push({ kind: 'init', init });
    for (let n = 1; n <= 5; n += 1) held.feed.push({ kind: 'fragment', fragment: fragment(n, n === 1), receivedAt: Date.now() });
    const reader = videoResponse(held, new AbortController().signal, undefined).body!.getReader();
    await reader.read(); // the stream's preamble
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    expect(text.match(/X-Video: (\w+)/gi)).toEqual(['X-Video: init', ...Array(5).fill('X-Video: fragment')]);
    held.feed.push({ kind: 'fragment', fragment: fragment(6, false), receivedAt: Date.now() });
    const live = new TextDecoder().decode((await reader.read()).value);
    expect(live.match(/X-Video: (\w+)/gi)).toEqual(['X-Video: fragment']);
    await reader.cancel();
  });

  it('skips a viewer whose link fell behind to the next keyframe instead of sending old video', async () => {
    const held = subscription();
    const old = Date.now() - MAX_BEHIND_MS - 500;
    held.feed.push({ kind: 'fragment', fragment: fragment(1, true), receivedAt: old });
    held.feed.push({ kind: 'fragment', fragment: fragment(2, false), receivedAt: old });
    // The link is busy once: by the time it clears, what is queued is over a second old.
    let busy = true;
    const pace = { waitMs: () => (busy ? 5 : 0), pause: async () => void (busy = false) };
    const response = videoResponse(held, new AbortController().signal, pace);
    const reading = readParts(response, 2);
    // Once the link has cleared, the old fragments are dropped and the viewer waits for a keyframe.
    for (let tries = 0; tries < 100 && (busy || held.feed.skipped < 2); tries += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(held.feed.skipped).toBe(2);
    held.feed.push({ kind: 'fragment', fragment: fragment(3, false), receivedAt: Date.now() });
    held.feed.push({ kind: 'fragment', fragment: fragment(4, true), receivedAt: Date.now() });
    held.feed.push({ kind: 'fragment', fragment: fragment(5, false), receivedAt: Date.now() });
    const parts = await reading;
    expect(parts.map((part) => part.body[0])).toEqual([4, 5]);
    expect(parts[0]!.headers['x-keyframe']).toBe('1');
  });

  it("hands a viewer that keeps up each frame from the camera's delivery itself, and looks at its link only when a frame waits", () => {
    const held = subscription();
    let looks = 0;
    const source = videoPartSource(held, { waitMs: () => (looks += 1, 0), pause: async () => {} });
    const written: string[] = [];
    const pump = () => {
      let part = source.take();
      for (; part; part = source.take()) written.push(new TextDecoder().decode(part).match(/X-Video: (\w+)/)![1]!);
      if (part === undefined) source.onReady(pump);
    };
    pump();
    expect(looks).toBe(0);
    held.feed.push({ kind: 'init', init });
    expect(written).toEqual(['init']);
    held.feed.push({ kind: 'fragment', fragment: fragment(1, true), receivedAt: Date.now() });
    held.feed.push({ kind: 'fragment', fragment: fragment(2, false), receivedAt: Date.now() });
    expect(written).toEqual(['init', 'fragment', 'fragment']);
    expect(looks).toBe(3);
    held.feed.close();
    expect(source.take()).toBeNull();
  });
});
