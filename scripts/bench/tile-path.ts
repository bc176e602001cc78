/**
 * npm run bench:tiles — what a grid tile of a camera without a substream should play: the camera's
 * main H.264 as it is (copied; the browser decodes the full picture) or the downscaled MJPEG the
 * grid gives such cameras (640 px, 5 fps: the server decodes the full picture and encodes JPEGs).
 * Four 1280×720@15 RTSP cameras (real GStreamer server on 127.0.0.1, no substream) on the grid
 * page in Chromium, twice in one invocation: as camdash plays them (H.264), then in the same
 * browser told that it cannot play H.264 (MediaSource.isTypeSupported answers no), which is
 * camdash's own fallback to MJPEG. 30 s each, after a warm-up.
 *
 * Prints, per run: the path the tiles took, frames shown per tile, the CPU of the server (Node and
 * its ffmpegs) and of Chromium, and the bytes the server sent per tile (its Prometheus counters).
 * Needs a production build (the npm script builds when it is stale).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../tests/helpers/browser';
import { startNextServer, type NextServer } from '../../tests/helpers/next-server';
import { startRtspServer, type RtspServer } from '../../tests/helpers/rtsp-server';
import { installVideoFrameCounter, readVideoFrames } from '../../tests/helpers/video-frame-counter';
import { waitFor } from '../../tests/helpers/wait-for';
import { installFrameCounter, readCounts } from '../bench-grid-frame-counter';
import { cpuPercent, sampleTree } from './proc-tree';
import { sleep } from './table';

const TILES = 4;
const HD = { width: 1280, height: 720, fps: 15 };
const WARM_UP_MS = 15_000;
const WINDOW_MS = 30_000;
const DEADLINE_MS = 5 * 60_000;
const TICKS_PER_SECOND = 100;

type Path = 'h264' | 'mjpeg';
type Result = { path: Path; paths: string[]; shownFps: number[]; nodeCpu: number; ffmpegCpu: number; ffmpegCount: number; chromiumCpu: number; bytesPerTile: number };

const started: { rtsp?: RtspServer; server?: NextServer; browser?: TestBrowser } = {};

/** CPU ticks of the Chromium processes this script started (none other runs during a bench). */
function chromiumTicks(): number {
  const table = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, proc] of table) {
    if (!proc.comm.startsWith('chrom')) continue;
    for (let up = pid, hops = 0; up > 1 && hops < 64; up = table.get(up)?.ppid ?? 0, hops += 1) {
      if (up === process.pid) {
        ticks += proc.ticks;
        break;
      }
    }
  }
  return ticks;
}

/** Bytes the server has sent to viewers of the tiles, on both paths (camdash_camera_path_bytes_out_total). */
async function bytesOut(server: NextServer): Promise<number> {
  const text = await (await fetch(`${server.url}/api/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) if (line.startsWith('camdash_camera_path_bytes_out_total{')) total += Number(line.split(' ').at(-1));
  return total;
}

async function tilePaths(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('a[data-camera]')].map((tile) => tile.getAttribute('data-live-path') ?? ''));
}

async function shownPerTile(page: Page, path: Path): Promise<Record<string, number>> {
  return path === 'h264' ? (await readVideoFrames(page)).presented : (await readCounts(page)).shown;
}

async function runTiles(server: NextServer, path: Path): Promise<Result> {
  const browser = await launchBrowser({ viewport: { width: 1600, height: 1000 }, timeoutMs: 15_000 });
  started.browser = browser;
  try {
    const page = await browser.context.newPage();
    if (path === 'mjpeg') {
      // A browser that cannot play the camera's codec: camdash's own fallback, nothing else changed.
      await page.addInitScript(() => {
        MediaSource.isTypeSupported = () => false;
        delete (window as { ManagedMediaSource?: unknown }).ManagedMediaSource;
      });
    }
    await page.addInitScript(installVideoFrameCounter);
    await page.addInitScript(installFrameCounter);
    await page.goto(`${server.url}/`);
    await waitFor(async () => (await tilePaths(page)).filter((tilePath) => tilePath === path).length === TILES, { timeoutMs: 20_000, message: `every tile on the ${path} path` });
    await waitFor(async () => Object.values(await shownPerTile(page, path)).filter((frames) => frames > 0).length === TILES, { timeoutMs: 20_000, message: 'every tile to show a picture' });
    await sleep(WARM_UP_MS);
    const shownBefore = await shownPerTile(page, path);
    const treeBefore = sampleTree(server.pid);
    const chromiumBefore = chromiumTicks();
    const bytesBefore = await bytesOut(server);
    const from = Date.now();
    await sleep(WINDOW_MS);
    const seconds = (Date.now() - from) / 1000;
    const shownAfter = await shownPerTile(page, path);
    const treeAfter = sampleTree(server.pid);
    const chromiumCpu = ((chromiumTicks() - chromiumBefore) / TICKS_PER_SECOND / seconds) * 100;
    const bytesPerTile = (await bytesOut(server)) - bytesBefore;
    return {
      path,
      paths: await tilePaths(page),
      shownFps: Object.keys(shownAfter).map((id) => ((shownAfter[id] ?? 0) - (shownBefore[id] ?? 0)) / seconds),
      nodeCpu: cpuPercent(treeBefore, treeAfter, 'nodeTicks'),
      ffmpegCpu: cpuPercent(treeBefore, treeAfter, 'ffmpegTicks'),
      ffmpegCount: Math.min(treeBefore.ffmpegCount, treeAfter.ffmpegCount),
      chromiumCpu,
      bytesPerTile: bytesPerTile / TILES / seconds,
    };
  } finally {
    started.browser = undefined;
    await browser.close().catch(() => {});
  }
}

const fmt = (values: number[]) => `${Math.min(...values).toFixed(2)} / ${Math.max(...values).toFixed(2)}`;

function report(results: Result[]): string[] {
  const row = (label: string, value: (result: Result) => string) => `${label.padEnd(44)}${results.map((result) => value(result).padEnd(30)).join('')}`;
  return [
    `tile of a 1280×720@15 H.264 camera without a substream — ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`,
    row('', (result) => (result.path === 'h264' ? 'main H.264 (copied)' : 'downscaled MJPEG (640 px, 5 fps)')),
    row(`tiles on the path (${TILES})`, (result) => `${result.paths.filter((tilePath) => tilePath === result.path).length}`),
    row('frames shown per tile, fps: min / max', (result) => fmt(result.shownFps)),
    row('server CPU: Node + ffmpeg (how many), %', (result) => `${(result.nodeCpu + result.ffmpegCpu).toFixed(1)} (${result.nodeCpu.toFixed(1)} + ${result.ffmpegCpu.toFixed(1)} (${result.ffmpegCount}))`),
    row('server CPU per tile, % of a core', (result) => ((result.nodeCpu + result.ffmpegCpu) / TILES).toFixed(2)),
    row('Chromium CPU, % of a core (per tile)', (result) => `${result.chromiumCpu.toFixed(1)} (${(result.chromiumCpu / TILES).toFixed(1)})`),
    row('sent per tile, Mbit/s', (result) => ((result.bytesPerTile * 8) / 1e6).toFixed(2)),
  ];
}

async function cleanUp(): Promise<void> {
  await started.browser?.close().catch(() => {});
  await started.server?.stop().catch(() => {});
  await started.rtsp?.stop().catch(() => {});
}

async function bench(): Promise<void> {
  const rtsp = await startRtspServer(HD);
  started.rtsp = rtsp;
  const cameras = Array.from({ length: TILES }, (_, index) => ({ id: `tile-${index + 1}`, name: `Tile ${index + 1}`, source: rtsp.url() }));
  const camerasFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'camdash-tiles-')), 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras }, null, 2));
  const server = await startNextServer({ camerasFile, graceMs: 1_000 });
  started.server = server;
  const results = [await runTiles(server, 'h264')];
  await waitFor(() => sampleTree(server.pid).ffmpegCount === 0, { timeoutMs: 20_000, message: 'the cameras to stop between the runs' });
  results.push(await runTiles(server, 'mjpeg'));
  console.log(report(results).join('\n'));
}

const deadline = setTimeout(() => {
  console.error(`bench:tiles: not done after ${DEADLINE_MS / 60_000} min; stopping`);
  void cleanUp().then(() => process.exit(1));
}, DEADLINE_MS);
bench()
  .then(cleanUp, async (error: unknown) => {
    console.error(error);
    await cleanUp();
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(deadline));
