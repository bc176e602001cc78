import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '@/lib/capture/frame';
import { LatestFrameSlot } from '@/lib/capture/latest-frame-slot';
import type { Subscription } from '@/lib/capture/registry';
import { jpegPartHold } from '@/lib/http/grid-holds';
import { gridResponse } from '@/lib/http/grid-response';
import { mjpegResponse } from '@/lib/http/mjpeg-response';
import { snapshotResponse } from '@/lib/http/snapshot-response';
import { JPEG_A } from '../helpers/jpeg-fixtures';
import { serveHandler, type BodyPiping } from '../helpers/route-server';
import { waitFor } from '../helpers/wait-for';

// In Node 20 a Request's signal follows the server's abort only while the Request object lives.
// These tests force that window: the handler keeps nothing of its Request, the heap is collected
// before the client leaves, and the body is piped so that nothing cancels it ('plain-pipe'). A
// viewer must still be released, by its connection's end.
const gc = (globalThis as { gc?: () => void }).gc;

type CountedSubscription = Subscription & { releases: number; stopFeeding(): void };

/** A camera hold whose slot gets a frame every 50 ms (or none), counting its releases. */
function heldCamera(cameraId: string, feed = true): CountedSubscription {
  const slot = new LatestFrameSlot();
  let seq = 0;
  const timer = feed ? setInterval(() => slot.offer(frame(cameraId, ++seq)), 50) : undefined;
  const subscription: CountedSubscription = {
    cameraId,
    slot,
    releases: 0,
    delivered: () => {},
    release: () => {
      subscription.releases += 1;
      clearInterval(timer);
      slot.close();
    },
    stopFeeding: () => clearInterval(timer),
  };
  return subscription;
}

const frame = (cameraId: string, seq: number): Frame => ({ cameraId, seq, capturedAt: Date.now(), jpeg: JPEG_A });

const servers: { close(): Promise<void> }[] = [];
const holds: CountedSubscription[] = [];
afterEach(async () => {
  for (const hold of holds.splice(0)) hold.stopFeeding();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function collectGarbage(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Serves `respond` for one client, which reads the first chunk of the body, then (after a GC) leaves. */
async function connectCollectAndLeave(respond: (request: Request) => Promise<Response> | Response, piping: BodyPiping, readFirst = true): Promise<void> {
  const server = await serveHandler(async (request) => respond(request), piping);
  servers.push(server);
  const client = new AbortController();
  const response = await fetch(server.url, { signal: client.signal });
  if (readFirst) await response.body!.getReader().read();
  await collectGarbage();
  client.abort();
}

describe('a viewer whose Request has been garbage-collected', () => {
  it('is released from the MJPEG stream when its connection ends, with nothing cancelling the body', async () => {
    expect(gc, 'run with --expose-gc (vitest.config.mts sets it)').toBeTypeOf('function');
    const hold = heldCamera('door');
    holds.push(hold);
    await connectCollectAndLeave((request) => mjpegResponse(hold, request.signal), 'plain-pipe');
    await waitFor(() => hold.releases === 1, { timeoutMs: 5_000, message: 'the viewer to be released' });
  });

  it('is released from the grid stream when its connection ends', async () => {
    const cameras = [heldCamera('a'), heldCamera('b')];
    holds.push(...cameras);
    await connectCollectAndLeave((request) => gridResponse(cameras.map(jpegPartHold), () => undefined, request.signal), 'plain-pipe');
    await waitFor(() => cameras.every((hold) => hold.releases === 1), { timeoutMs: 5_000, message: 'both cameras to be released' });
  });

  it('lets go of the camera of a snapshot still waiting for its first frame', async () => {
    const hold = heldCamera('porch', false);
    holds.push(hold);
    // Headers come only with the picture, so the client leaves while the handler still waits.
    let handling = false;
    const server = await serveHandler((request) => {
      handling = true;
      return snapshotResponse(hold, 60_000, () => undefined, request.signal);
    }, 'plain-pipe');
    servers.push(server);
    const client = new AbortController();
    const asked = fetch(server.url, { signal: client.signal }).catch(() => undefined);
    await waitFor(() => handling, { message: 'the request to reach the handler' });
    await collectGarbage();
    client.abort();
    await asked;
    await waitFor(() => hold.releases === 1, { timeoutMs: 5_000, message: 'the snapshot to let go of the camera' });
  });

  it('is released once when the body is cancelled as Next does, and the connection ends too', async () => {
    const hold = heldCamera('yard');
    holds.push(hold);
    await connectCollectAndLeave((request) => mjpegResponse(hold, request.signal), 'next');
    await waitFor(() => hold.releases === 1, { timeoutMs: 5_000, message: 'the viewer to be released' });
    // Every connection closed: whatever else could release it has happened.
    await Promise.all(servers.splice(0).map((server) => server.close()));
    expect(hold.releases).toBe(1);
  });
});
