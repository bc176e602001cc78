import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import type { Span } from '@/lib/recording/types';
import { parseSegmentPath } from '@/lib/recording/types';
import { watchLiveVideo, type LiveVideoWatch } from '../helpers/live-video-watch';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { mountTmpfs, type Tmpfs } from '../helpers/tmpfs';
import { waitFor } from '../helpers/wait-for';

// Recordings on a disk of their own, 10 MB, with a floor of 7 MB free. The test camera sends about
// 2 Mbit/s (x264's constant rate), so the 3 MB above the floor fill in about 12 s and each 10 s
// sweep has about 2.5 MB to delete: the floor is crossed again and again within half a minute.
// Between two sweeps the recordings take at most about 5.5 MB, less than the floor: a disk filled
// by another program cannot be brought back above the floor by deleting footage.
const MB = 1024 ** 2;
const DISK_BYTES = 10 * MB;
const FLOOR_BYTES = 7 * MB;
const SEGMENT_SECONDS = 2;
/** What the live viewer may wait between two frames (10 fps: a frame every 100 ms). */
const LONGEST_LIVE_GAP_MS = 2_000;
const CAMERA = 'door';

let disk: Tmpfs | undefined;
let rtsp: RtspServer | undefined;
let server: NextServer | undefined;
let live: LiveVideoWatch | undefined;
let recordingsDir: string;
const fillerPath = () => path.join(disk!.dir, 'other-program.bin');

beforeAll(async () => {
  disk = await mountTmpfs(DISK_BYTES, 'camdash-small-disk-');
  recordingsDir = path.join(disk.dir, 'recordings');
  rtsp = await startRtspServer();
  const directory = mkdtempSync(path.join(tmpdir(), 'camdash-disk-full-'));
  const camerasFile = path.join(directory, 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras: [{ id: CAMERA, name: 'Door', source: rtsp.url(), record: { mode: 'continuous', days: 7 } }] }));
  server = await startNextServer({
    camerasFile,
    env: {
      CAMDASH_RECORDINGS_DIR: recordingsDir,
      // The index stays off the small disk: filling it must cost footage, not the index.
      CAMDASH_DATA_DIR: path.join(directory, 'data'),
      CAMDASH_RECORD_SEGMENT_SECONDS: String(SEGMENT_SECONDS),
      CAMDASH_MIN_FREE_GB: String(FLOOR_BYTES / 1024 ** 3),
      CAMDASH_MIN_FREE_PERCENT: '0',
    },
  });
  live = await watchLiveVideo(server.url, CAMERA);
});

// What recording and retention said, to tell from a failure what the server was doing.
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.log(`[recording-disk-full] the server's recording log:\n${logMessages().filter((message) => /^recording/.test(message)).join('\n')}`));
});

afterAll(async () => {
  try {
    await live?.stop();
    await server?.stop();
  } finally {
    // Whatever failed before, the small disk must not stay mounted.
    await rtsp?.stop();
    await disk?.unmount();
  }
});

async function recording(): Promise<NonNullable<PublicCamera['recording']>> {
  const response = await fetch(`${server!.url}/api/cameras`);
  const { cameras } = (await response.json()) as { cameras: PublicCamera[] };
  const status = cameras.find((camera) => camera.id === CAMERA)?.recording;
  if (!status) throw new Error(`${CAMERA} has no recording status: ${JSON.stringify(cameras)}`);
  return status;
}

async function spans(): Promise<Span[]> {
  const now = Date.now();
  const response = await fetch(`${server!.url}/api/recordings/${CAMERA}?from=${now - 10 * 60_000}&to=${now + 5_000}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { spans: Span[] }).spans;
}

/** The segment files on the small disk, oldest first (their names are their start times). */
function segmentFiles(): string[] {
  if (!existsSync(recordingsDir)) return [];
  return (readdirSync(recordingsDir, { recursive: true }) as string[])
    .map((name) => name.split(path.sep).join('/'))
    .filter((name) => parseSegmentPath(name) !== undefined)
    .sort((a, b) => parseSegmentPath(a)!.startedAt - parseSegmentPath(b)!.startedAt);
}

const bytesOf = (files: readonly string[]) => files.reduce((sum, file) => sum + (statSync(path.join(recordingsDir, file), { throwIfNoEntry: false })?.size ?? 0), 0);

/** The server's log messages (pino, one JSON object a line). */
function logMessages(): string[] {
  return (server?.log() ?? '')
    .split('\n')
    .flatMap((line) => {
      try {
        return [String((JSON.parse(line) as { msg?: unknown }).msg ?? '')];
      } catch {
        return [];
      }
    });
}

/** How many segments each of the server's sweeps so far deleted for space. */
const deletionsForSpace = () => logMessages().flatMap((message) => /^recordings: deleted \d+ past their days, \d+ without motion, (\d+) for space/.exec(message)?.[1] ?? []).map(Number).filter((count) => count > 0);

/** Fills what is left of the small disk, as another program would: written until the disk refuses. */
async function fillTheDisk(): Promise<number> {
  const file = await open(fillerPath(), 'w');
  const chunk = Buffer.alloc(MB, 1);
  let written = 0;
  try {
    // Bounded: the disk cannot take more than its size.
    for (let attempt = 0; attempt <= DISK_BYTES / MB + 1; attempt += 1) {
      const { bytesWritten } = await file.write(chunk);
      written += bytesWritten;
    }
    throw new Error(`the ${DISK_BYTES}-byte disk took ${written} bytes without filling up`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await file.close();
  }
  return written;
}

describe('recording onto a small disk', () => {
  it('deletes the oldest segments whenever the disk is below its floor, and goes on recording the newest', async () => {
    await waitFor(async () => (await recording()).active, { timeoutMs: 20_000, message: 'the camera to be recording' });
    const first = await waitFor(() => segmentFiles()[0], { timeoutMs: 10_000, message: 'a first segment file' });
    const firstSpanStart = await waitFor(async () => (await spans())[0]?.start, { timeoutMs: 10_000, message: 'the first footage in the spans' });
    expect(Math.abs(firstSpanStart - parseSegmentPath(first)!.startedAt)).toBeLessThan(1_000);

    // Three sweeps that had to delete: the floor was crossed three times.
    const crossings = await waitFor(() => (deletionsForSpace().length >= 3 ? deletionsForSpace() : undefined), { timeoutMs: 50_000, intervalMs: 250, message: 'three sweeps deleting for space' });
    const files = segmentFiles();
    const now = Date.now();
    const recorded = await spans();
    const status = await recording();
    console.log(
      `[recording-disk-full] floor crossed ${crossings.length} times, ${crossings.reduce((sum, count) => sum + count, 0)} segments deleted (${crossings.join(', ')} a sweep); ` +
        `on the disk now: ${files.length} segments, ${(bytesOf(files) / MB).toFixed(1)} MB`,
    );

    // The oldest went: the first file is gone from the disk, the footage now starts later.
    expect(existsSync(path.join(recordingsDir, first))).toBe(false);
    expect(recorded[0]!.start).toBeGreaterThan(firstSpanStart);
    expect(parseSegmentPath(files[0]!)!.startedAt).toBeGreaterThan(parseSegmentPath(first)!.startedAt);
    // Only as much as the floor asked for: the disk still holds several segments.
    expect(files.length).toBeGreaterThanOrEqual(3);
    // And the newest is being recorded: a file begun within the last two segments, footage up to a few seconds ago.
    expect(status).toMatchObject({ active: true, reason: null });
    expect(now - parseSegmentPath(files.at(-1)!)!.startedAt).toBeLessThan(2 * SEGMENT_SECONDS * 1000 + 1_000);
    expect(now - recorded.at(-1)!.end).toBeLessThan(4_000);
    // The disk never filled up: no write failed.
    expect(logMessages().filter((message) => /is full|recording paused/.test(message))).toEqual([]);
    expect(live!.longestGapMs()).toBeLessThan(LONGEST_LIVE_GAP_MS);
  });

  it('pauses, says why and keeps the footage while another program fills the disk, then records again by itself once it is freed', async () => {
    const filled = await fillTheDisk();

    const paused = await waitFor(
      async () => {
        const status = await recording();
        return !status.active && status.reason ? status : undefined;
      },
      { timeoutMs: 15_000, message: 'the status to say recording is paused' },
    );
    console.log(`[recording-disk-full] ${(filled / MB).toFixed(1)} MB of other files fill the disk; status: "${paused.reason}"`);
    expect(paused.reason).toMatch(/^recording paused: /);
    expect(paused.reason).toMatch(/disk/);
    expect(paused.reason).toMatch(/full|free/);
    expect(server!.log()).toMatch(/recording door: the disk of .* is full; recording paused/);

    // Retention looked at the full disk (right after the failed write) and deletes nothing: all the
    // footage together could not bring the disk back above its floor, and recording would stay
    // paused all the same.
    const onsetLine = 'recordings: the disk is below its floor because of other files';
    const onset = await waitFor(() => logMessages().findIndex((message) => message.startsWith(onsetLine)) + 1, { timeoutMs: 15_000, message: 'retention to say the disk is full of other files' });
    const kept = segmentFiles();
    const keptStart = (await spans())[0]!.start;
    // Live viewing goes on meanwhile, for a couple of seconds of a full disk.
    const framesAtOnset = live!.frames();
    await waitFor(() => live!.frames() >= framesAtOnset + 20, { timeoutMs: 5_000, message: 'live frames while the disk is full' });
    expect(kept.every((file) => existsSync(path.join(recordingsDir, file)))).toBe(true);
    expect((await spans())[0]!.start).toBe(keptStart);
    expect(logMessages().slice(onset).filter((message) => /^recordings: deleted .* [1-9]\d* for space/.test(message))).toEqual([]);
    expect(await recording()).toMatchObject({ active: false, reason: paused.reason });

    await rm(fillerPath());
    const freedAt = Date.now();
    await waitFor(async () => (await recording()).active, { timeoutMs: 40_000, intervalMs: 100, message: 'recording to resume once the disk has room' });
    const resumeMs = Date.now() - freedAt;
    const resumed = await waitFor(() => segmentFiles().find((file) => parseSegmentPath(file)!.startedAt >= freedAt), { timeoutMs: 5_000, message: 'a new segment file' });
    console.log(`[recording-disk-full] recording resumed ${resumeMs} ms after the other files were deleted (${resumed})`);
    expect((await recording()).reason).toBeNull();
    expect(logMessages()).toContain(`recordings: other files no longer keep the disk of ${recordingsDir} below its floor`);
    await waitFor(async () => Date.now() - (await spans()).at(-1)!.end < 4_000, { timeoutMs: 10_000, message: 'the newest footage in the spans' });
  });

  it('never stalled the live viewer, nor stopped the server', () => {
    console.log(`[recording-disk-full] live viewer: ${live!.frames()} frames, longest gap ${live!.longestGapMs()} ms`);
    expect(live!.ended()).toBeUndefined();
    expect(live!.longestGapMs()).toBeLessThan(LONGEST_LIVE_GAP_MS);
    expect(server!.exited()).toBe(false);
  });
});
