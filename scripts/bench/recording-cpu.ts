/**
 * Run 1 of npm run bench:recording: what recording a camera costs the server (Node and its ffmpegs,
 * the whole tree) over watching it live. One RTSP camera, its page open in Chromium playing the
 * camera's H.264; windows alternate between the camera recorded (cameras.json "record":
 * continuous) and not, the file saved between them as an editor saves it. The hot reload restarts
 * a changed camera, so each window comes after the page has played again and a settling time.
 * Alternating cancels slow drift (V8 still warming, other work on the machine); each side's median
 * and their difference are reported, with the recorder's bytes per hour and per day.
 */
import { renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { PublicCamera } from '../../lib/cameras/public-camera';
import { formatBytes } from '../../lib/recording/disk-guard';
import type { NextServer } from '../../tests/helpers/next-server';
import { framesPresentedIn } from '../../tests/helpers/video-frame-counter';
import { processAlive, waitFor } from '../../tests/helpers/wait-for';
import { fixed, mbits, sleep, type Row } from './table';
import { cpuInSteps, cpuWindow, type CpuWindow } from './video-runs';

export type BenchCamera = { id: string; name: string; source: string };

export type RecordingCpuContext = {
  server: NextServer;
  camerasFile: string;
  camera: BenchCamera;
  /** A page of the browser, for the camera page. */
  page: Page;
  rows: Row[];
  fps: number;
  quick: boolean;
};

/** Pairs of windows (not recorded, then recorded). */
const pairs = (quick: boolean) => (quick ? 2 : 4);
/** 1 tick (10 ms) in 30 s is 0.03 % of a core: fine enough for a 0.5 % target. */
const windowMs = (quick: boolean) => (quick ? 5_000 : 30_000);
/** After the page plays again: the restarted ffmpeg's start-up and the page's first fetches are over. */
const settleMs = (quick: boolean) => (quick ? 2_000 : 5_000);
/**
 * Before the first window, recorded: V8 compiles the streaming path (and the recorder's) only after
 * it has run a while (bench.ts, run 2: about two to three minutes); the footage is run 2's too.
 */
const serverWarmMs = (quick: boolean) => (quick ? 10_000 : 150_000);
const warmingStepMs = (quick: boolean) => (quick ? 5_000 : 30_000);

/** How long the run takes at most, for the benchmark's deadline. */
export function recordingCpuRunMs(quick: boolean): number {
  return serverWarmMs(quick) + pairs(quick) * 2 * (windowMs(quick) + settleMs(quick) + 45_000) + 60_000;
}

/** cameras.json with the camera recorded or not, saved as an atomic-save editor does (a file renamed over it). */
export function writeCameras(file: string, camera: BenchCamera, recorded: boolean): void {
  const entry = recorded ? { ...camera, record: { mode: 'continuous', days: 7 } } : camera;
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  writeFileSync(temporary, JSON.stringify({ cameras: [entry] }, null, 2));
  renameSync(temporary, file);
}

async function cameraJson(server: NextServer, id: string): Promise<PublicCamera | undefined> {
  const response = await fetch(`${server.url}/api/cameras`).catch(() => undefined);
  if (!response?.ok) return undefined;
  return ((await response.json()) as { cameras: PublicCamera[] }).cameras.find((camera) => camera.id === id);
}

async function waitForPlaying(page: Page, fps: number): Promise<void> {
  await page.waitForSelector('[data-live-path="h264"]', { timeout: 15_000 });
  await waitFor(async () => (await framesPresentedIn(page, 1_000)) >= fps / 2, { timeoutMs: 20_000, message: 'the camera page to play the video' });
}

/** Opens the camera page and waits until it plays the camera's H.264. */
export async function openCameraPage(context: RecordingCpuContext): Promise<void> {
  await context.page.goto(`${context.server.url}/cameras/${context.camera.id}`);
  await waitForPlaying(context.page, context.fps);
}

/** Saves cameras.json, waits until the server applied it, the old ffmpeg is gone and the page plays the restarted camera. */
async function setRecorded(context: RecordingCpuContext, recorded: boolean): Promise<void> {
  const { server, camera, page } = context;
  const earlier = server.ffmpegPids();
  writeCameras(context.camerasFile, camera, recorded);
  await waitFor(
    async () => {
      const json = await cameraJson(server, camera.id);
      return recorded ? json?.recording?.active === true : json !== undefined && json.recording === null;
    },
    { timeoutMs: 20_000, intervalMs: 200, message: `the camera to be ${recorded ? '' : 'no longer '}recorded` },
  );
  await waitFor(() => earlier.every((pid) => !processAlive(pid)), { timeoutMs: 15_000, message: "the changed camera's old ffmpeg to exit" });
  // The camera's restart ended the page's stream: opened again, as a viewer would.
  await page.reload();
  await waitForPlaying(page, context.fps);
  await sleep(settleMs(context.quick));
}

type Window = CpuWindow & { recorded: boolean; load: number; shownFps: number; bytesWritten: number; seconds: number; bitsPerSecond: number; dropped: number };

async function measureWindow(context: RecordingCpuContext, recorded: boolean): Promise<Window> {
  const { server, camera } = context;
  const before = await cameraJson(server, camera.id);
  const from = Date.now();
  const cpu = await cpuWindow(server.pid, windowMs(context.quick));
  const seconds = (Date.now() - from) / 1000;
  const after = await cameraJson(server, camera.id);
  const load = os.loadavg()[0]!;
  // After the window: the page's counting costs the machine, not the server, but stays out of it.
  const shownFps = (await framesPresentedIn(context.page, 2_000)) / 2;
  const bytesWritten = (after?.recording?.bytesWritten ?? 0) - (before?.recording?.bytesWritten ?? 0);
  const dropped = (after?.recording?.droppedFragments ?? 0) - (before?.recording?.droppedFragments ?? 0);
  const window = { ...cpu, recorded, load, shownFps, bytesWritten, seconds, bitsPerSecond: after?.video?.bitsPerSecond ?? 0, dropped };
  console.error(
    `run 1: ${recorded ? 'recorded    ' : 'not recorded'} ${fixed(cpu.total, 2)} % (Node ${fixed(cpu.node, 2)} + ffmpeg ${fixed(cpu.ffmpeg, 2)}, ${cpu.ffmpegCount} ffmpeg), page ${fixed(shownFps, 1)} fps, load ${fixed(load, 2)}`,
  );
  return window;
}

/** Of an even count, the mean of the middle two: with four windows a side, neither middle one alone. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function runRecordingCpu(context: RecordingCpuContext): Promise<void> {
  const { server, rows, quick } = context;
  // The camera is recorded from the server's start: the warming also records the footage of run 2.
  await openCameraPage(context);
  const warming = await cpuInSteps(server.pid, serverWarmMs(quick), warmingStepMs(quick));
  console.error(`run 1: server CPU (recorded) while warming, each ${warmingStepMs(quick) / 1000} s: ${warming.map((cpu) => fixed(cpu, 2)).join(' → ')} % of a core`);

  const windows: Window[] = [];
  for (let pair = 0; pair < pairs(quick); pair += 1) {
    for (const recorded of [false, true]) {
      await setRecorded(context, recorded);
      windows.push(await measureWindow(context, recorded));
    }
  }

  const live = windows.filter((window) => !window.recorded);
  const recorded = windows.filter((window) => window.recorded);
  const side = (of: Window[]) => ({ total: median(of.map((w) => w.total)), node: median(of.map((w) => w.node)), ffmpeg: median(of.map((w) => w.ffmpeg)) });
  const [a, b] = [side(recorded), side(live)];
  const overLive = a.total - b.total;
  // Each recorded window against the live one just before it.
  const pairDifferences = recorded.map((window, index) => window.total - live[index]!.total);
  const seconds = recorded.reduce((sum, window) => sum + window.seconds, 0);
  const bytesPerSecond = recorded.reduce((sum, window) => sum + window.bytesWritten, 0) / seconds;
  const list = (of: Window[]) => of.map((window) => fixed(window.total, 2)).join(', ');
  const split = (figures: { total: number; node: number; ffmpeg: number }) => `${fixed(figures.total, 2)} % (Node ${fixed(figures.node, 2)} + ffmpeg ${fixed(figures.ffmpeg, 2)})`;
  const n = `${live.length} × ${windowMs(quick) / 1000} s`;
  rows.push({ run: '1 recording a 1280×720@15 camera', measure: `server CPU, live only: median of ${n}`, value: split(b) });
  rows.push({ run: '(1 page playing H.264)', measure: `server CPU, live + recorded: median of ${n}`, value: split(a) });
  rows.push({ run: '', measure: 'recording over live: median − median', value: `${fixed(overLive, 2)} % of a core`, target: '≤ 0.5 %', met: overLive <= 0.5 });
  rows.push({ run: '', measure: 'recorded − live, each pair: mean (min … max)', value: `${fixed(pairDifferences.reduce((sum, d) => sum + d, 0) / pairDifferences.length, 2)} (${fixed(Math.min(...pairDifferences), 2)} … ${fixed(Math.max(...pairDifferences), 2)}) %` });
  rows.push({ run: '', measure: 'each window, live only', value: `${list(live)} %` });
  rows.push({ run: '', measure: 'each window, recorded', value: `${list(recorded)} %` });
  rows.push({ run: '', measure: `while warming (recorded), first → last ${warmingStepMs(quick) / 1000} s`, value: `${fixed(warming[0]!, 2)} → ${fixed(warming.at(-1)!, 2)} %` });
  rows.push({ run: '', measure: 'page presented, slowest window; ffmpegs', value: `${fixed(Math.min(...windows.map((window) => window.shownFps)), 1)} fps; ${Math.min(...windows.map((w) => w.ffmpegCount))}–${Math.max(...windows.map((w) => w.ffmpegCount))}` });
  rows.push({ run: '', measure: "camera's bitrate (server) / recorder wrote", value: `${mbits(median(recorded.map((window) => window.bitsPerSecond)))} / ${mbits(bytesPerSecond * 8)}` });
  rows.push({ run: '', measure: 'recorder wrote per hour / per day', value: `${formatBytes(bytesPerSecond * 3_600)} / ${formatBytes(bytesPerSecond * 86_400)}` });
  rows.push({ run: '', measure: 'fragments dropped while recorded', value: String(recorded.reduce((sum, window) => sum + window.dropped, 0)) });
  rows.push({ run: '', measure: 'load average (1 min) over the windows', value: `${fixed(Math.min(...windows.map((w) => w.load)), 2)} … ${fixed(Math.max(...windows.map((w) => w.load)), 2)}` });
}
