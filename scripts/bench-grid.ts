/**
 * npm run bench:grid — a wall of 36 test-pattern cameras in Chromium, and what it costs, twice in
 * one invocation: as today's MJPEG tiles (JPEGs drawn on canvases), then with the same cameras set
 * to `"codec": "h264"`, whose tiles play the cameras' own video in <video>s (MSE). 30 s each.
 *
 * Prints one table, a column per run: per tile, the frames per second the page received and
 * showed (MJPEG: a newer frame on the canvas at a rendering update; H.264: requestVideoFrameCallback
 * of its <video>), as a share of the source rate; decoding (JPEG decodes, or the video's decoded
 * and dropped frames); counted by wrapping browser functions the app calls
 * (bench-grid-frame-counter.ts, tests/helpers/video-frame-counter.ts; the app itself is not
 * changed); the CPU time of Chromium, of the Node server and of its ffmpeg children (utime+stime
 * from /proc/<pid>/stat over the window, as % of one core); the time until every tile shows a
 * picture; and the machine. Loopback only; stops what it started (Chromium by closing it, the
 * server by SIGTERM to its child handle) after each run, on errors too.
 *
 * Run with jiti (Node 20 cannot run TypeScript): `node_modules/.bin/jiti scripts/bench-grid.ts`.
 * Needs a production build in .next/ (the npm script builds when there is none).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../tests/helpers/browser';
import { startNextServer, type NextServer } from '../tests/helpers/next-server';
import { installVideoFrameCounter, readVideoFrames } from '../tests/helpers/video-frame-counter';
import { processAlive, waitFor } from '../tests/helpers/wait-for';
import { installFrameCounter, readCounts } from './bench-grid-frame-counter';

const COUNT = 36;
const FPS = 5;
const WIDTH = 320;
const WINDOW_MS = 30_000;
const WARM_UP_MS = 3_000;
const VIEWPORT = { width: 1920, height: 1600 };
const FIRST_PICTURES_TIMEOUT_MS = 30_000;
// Both runs (each: server start, first pictures, warm-up, window, shutdown) stay under 4 min.
const RUN_TIMEOUT_MS = 230_000;
const SAMPLE_EVERY_MS = 1_000;
const CHROMIUM = '/usr/bin/chromium';

const ids = Array.from({ length: COUNT }, (_, index) => `wall-${String(index + 1).padStart(2, '0')}`);

// ---------------------------------------------------------------------------------------------
// CPU time from /proc

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

type Group = 'browser' | 'server' | 'ffmpeg';
type ProcStat = { pid: number; ppid: number; comm: string; ticks: number };

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // comm may hold spaces and parentheses: the fields after it start after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' '); // fields[0] is field 3 (state)
  return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
}

/** Every process below this script, by group: the server's tree (ffmpeg apart) and everything else (Chromium). */
function sampleProcesses(serverPid: number): Map<number, { group: Group; ticks: number; role: string }> {
  const table = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) table.set(stat.pid, stat);
  }
  const groups = new Map<number, { group: Group; ticks: number; role: string }>();
  for (const stat of table.values()) {
    if (stat.pid === process.pid) continue;
    let underServer = false;
    let underUs = false;
    for (let pid = stat.pid, hops = 0; pid > 1 && hops < 64; pid = table.get(pid)?.ppid ?? 0, hops += 1) {
      if (pid === serverPid) underServer = true;
      if (pid === process.pid) {
        underUs = true;
        break;
      }
    }
    if (!underUs) continue;
    const group: Group = underServer ? (stat.comm === 'ffmpeg' ? 'ffmpeg' : 'server') : 'browser';
    groups.set(stat.pid, { group, ticks: stat.ticks, role: group === 'browser' ? chromiumRole(stat.pid) : group });
  }
  return groups;
}

const roles = new Map<number, string>();
/** A Chromium process's --type (renderer, gpu-process, the network service …); the main process has none. */
function chromiumRole(pid: number): string {
  let role = roles.get(pid);
  if (role === undefined) {
    let args: string[] = [];
    try {
      // Chromium rewrites its title: the arguments may end up separated by spaces rather than NULs.
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    } catch {
      // gone meanwhile
    }
    const type = args.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
    const subType = args.find((arg) => arg.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length);
    role = type === undefined ? 'browser' : type === 'utility' && subType ? subType.replace(/\.mojom\..*/, '').replace(/^.*\./, '') : type;
    roles.set(pid, role);
  }
  return role;
}

/** CPU seconds per group between start() and stop(); processes that start or end in between count too. */
class CpuWindow {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, { group: Group; ticks: number; role: string }>();
  private timer: NodeJS.Timeout | undefined;
  private machineStart = readMachineTicks();
  private machineEnd = this.machineStart;

  constructor(private readonly serverPid: number) {}

  start(): void {
    this.machineStart = readMachineTicks();
    for (const [pid, entry] of sampleProcesses(this.serverPid)) {
      this.first.set(pid, entry.ticks);
      this.last.set(pid, entry);
    }
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
    this.machineEnd = readMachineTicks();
  }

  private sample(): void {
    for (const [pid, entry] of sampleProcesses(this.serverPid)) {
      if (!this.last.has(pid)) this.first.set(pid, 0); // born during the window
      this.last.set(pid, entry);
    }
  }

  result(): { seconds: Record<Group, number>; processes: Record<Group, number>; chromium: Map<string, number>; machineBusy: number } {
    const seconds: Record<Group, number> = { browser: 0, server: 0, ffmpeg: 0 };
    const processes: Record<Group, number> = { browser: 0, server: 0, ffmpeg: 0 };
    const chromium = new Map<string, number>();
    for (const [pid, entry] of this.last) {
      const used = (entry.ticks - (this.first.get(pid) ?? 0)) / CLK_TCK;
      seconds[entry.group] += used;
      processes[entry.group] += 1;
      if (entry.group === 'browser') chromium.set(entry.role, (chromium.get(entry.role) ?? 0) + used);
    }
    const total = this.machineEnd.total - this.machineStart.total;
    const idle = this.machineEnd.idle - this.machineStart.idle;
    return { seconds, processes, chromium, machineBusy: total > 0 ? (total - idle) / total : 0 };
  }
}

/** All cores together, from the first line of /proc/stat: idle includes iowait. */
function readMachineTicks(): { total: number; idle: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { total, idle: (cpu[3] ?? 0) + (cpu[4] ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// Reporting helpers

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const percent = (seconds: number, windowMs: number) => `${((seconds / (windowMs / 1000)) * 100).toFixed(1)} %`;

function machine(): string[] {
  const model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  let chromium = 'unknown';
  try {
    // Debian's wrapper script prints a harmless warning on stderr.
    chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]!
      .trim();
  } catch {
    // keep 'unknown'
  }
  let ffmpeg = 'unknown';
  try {
    ffmpeg = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8', timeout: 15_000 }).split('\n')[0]!.replace(/ Copyright.*/, '');
  } catch {
    // keep 'unknown'
  }
  return [
    `machine:  ${os.cpus().length} CPUs (nproc ${execFileSync('nproc', { encoding: 'utf8' }).trim()}), ${model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
    `software: Node ${process.version}, ${chromium}, ${ffmpeg}`,
  ];
}

// ---------------------------------------------------------------------------------------------
// The runs

/** The same wall twice: JPEGs drawn on canvases (the cameras' default), and their own H.264 in <video>s. */
type Kind = 'mjpeg' | 'h264';
// BENCH_GRID_RUNS=h264 (or mjpeg) runs only that one, while working on it.
const KINDS: readonly Kind[] = (process.env.BENCH_GRID_RUNS ?? 'mjpeg,h264').split(',').filter((kind): kind is Kind => kind === 'mjpeg' || kind === 'h264');
const LABEL: Record<Kind, string> = { mjpeg: 'canvas MJPEG', h264: 'H.264 <video> (MSE)' };

type VideoQuality = { id: string; total: number; dropped: number; behind: number; path: string | null; reason: string | null };

type WallResult = {
  kind: Kind;
  windowMs: number;
  tileWidth: number;
  firstPictureMs: number;
  allPicturesMs: number;
  server: { firstFfmpeg: number; lastFfmpeg: number; firstLive: number; lastLive: number } | undefined;
  streams: number;
  received: number[];
  shown: number[];
  drawn: number[];
  decodesPerSecond: number;
  decodeMs: number;
  video: { decoded: number; dropped: number; behindMedian: number; seeks: number; paths: string[] } | undefined;
  longTaskShare: number;
  renderedFps: number;
  cpu: ReturnType<CpuWindow['result']>;
  benchSeconds: number;
  serverFps: number[];
  shutdown: string;
};

let server: NextServer | undefined;
let browser: TestBrowser | undefined;
let camerasDir: string | undefined;

async function runWall(kind: Kind): Promise<WallResult> {
  camerasDir = mkdtempSync(path.join(os.tmpdir(), 'camdash-bench-'));
  const camerasFile = path.join(camerasDir, 'cameras.json');
  const codec = kind === 'h264' ? { codec: 'h264' } : {};
  writeFileSync(
    camerasFile,
    JSON.stringify({ cameras: ids.map((id) => ({ id, name: id, source: 'test:testsrc2', fps: FPS, width: WIDTH, ...codec })) }),
  );

  server = await startNextServer({ camerasFile, graceMs: 1_000 });
  const serverUrl = server.url;
  // Playwright's SIGINT handler would close Chromium and exit at once, leaving the server behind:
  // drop it, the clean-up closes Chromium itself.
  const sigintListeners = new Set(process.listeners('SIGINT'));
  browser = await launchBrowser({ viewport: VIEWPORT, timeoutMs: 20_000 });
  for (const listener of process.listeners('SIGINT')) if (!sigintListeners.has(listener)) process.off('SIGINT', listener);
  const page = await browser.context.newPage();
  await page.addInitScript(installFrameCounter);
  await page.addInitScript(installVideoFrameCounter);
  let streams = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/grid/stream') streams += 1;
  });

  // A tile's first picture: on its canvas for MJPEG, the first frame its <video> presented for H.264.
  const firstShown = async (): Promise<Record<string, number>> =>
    kind === 'h264' ? (await readVideoFrames(page)).firstPresented : (await readCounts(page)).firstShown;
  await page.goto(`${server.url}/`);
  const pictured = await waitFor(
    async () => {
      const first = await firstShown();
      return ids.every((id) => first[id] !== undefined) ? first : undefined;
    },
    { timeoutMs: FIRST_PICTURES_TIMEOUT_MS, intervalMs: 100, message: `all ${COUNT} tiles to show a picture (${LABEL[kind]})` },
  ).catch(async (error: Error) => {
    const first = await firstShown().catch(() => ({}) as Record<string, number>);
    throw new Error(`${error.message}; tiles without a picture: ${ids.filter((id) => first[id] === undefined).join(', ')}`);
  });
  // When the server started the cameras, from its log's timestamps (pino's JSON lines), on the page's clock.
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const events = (server?.log() ?? '').split('\n').flatMap((line) => {
    try {
      const event = JSON.parse(line) as { time?: unknown; msg?: unknown };
      return typeof event.time === 'string' && typeof event.msg === 'string' ? [{ at: Date.parse(event.time) - timeOrigin, message: event.msg }] : [];
    } catch {
      return []; // not one of camdash's lines (Next's own start-up lines)
    }
  });
  const logged = (pattern: RegExp) => events.filter((event) => pattern.test(event.message)).map((event) => event.at).sort((a, b) => a - b);
  const ffmpegStarts = logged(/: ffmpeg started/);
  const cameraLive = logged(/^camera [\w-]+: live$/);

  // Every tile on screen, and every camera streaming to this one viewer.
  const layout = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a[data-camera]')].map((tile) => {
      const rect = tile.getBoundingClientRect();
      return {
        id: tile.dataset.camera ?? '',
        bottom: Math.round(rect.bottom),
        inside: rect.top >= 0 && rect.left >= 0 && rect.bottom <= window.innerHeight && rect.right <= window.innerWidth,
        width: Math.round(rect.width),
      };
    }),
  );
  const offScreen = layout.filter((tile) => !tile.inside).map((tile) => tile.id);
  if (layout.length !== COUNT || offScreen.length > 0) {
    throw new Error(`expected ${COUNT} tiles all inside the ${VIEWPORT.width}×${VIEWPORT.height} viewport; not inside: ${offScreen.join(', ')} (last tile's bottom at ${layout.at(-1)?.bottom} px)`);
  }
  type ApiCamera = { id: string; viewers: number; fps?: number | null; video: { viewers: number } | null };
  const cameras = async () => ((await (await fetch(`${serverUrl}/api/cameras`)).json()) as { cameras: ApiCamera[] }).cameras;
  // An H.264 tile is a viewer of the camera's video, an MJPEG tile of its JPEGs.
  const viewersOf = (camera: ApiCamera) => (kind === 'h264' ? (camera.video?.viewers ?? 0) : camera.viewers);
  const notStreaming = (await cameras()).filter((camera) => viewersOf(camera) !== 1).map((camera) => `${camera.id} (${viewersOf(camera)})`);
  if (notStreaming.length > 0) throw new Error(`cameras without exactly one viewer: ${notStreaming.join(', ')}`);

  await page.waitForTimeout(WARM_UP_MS);

  // The window.
  const cpu = new CpuWindow(server.pid);
  const benchCpuStart = process.cpuUsage();
  cpu.start();
  const before = await readCounts(page);
  const videosBefore = await readVideoFrames(page);
  const qualityBefore = await readVideoQuality(page);
  await countSeeks(page);
  await page.waitForTimeout(WINDOW_MS);
  const after = await readCounts(page);
  const videosAfter = await readVideoFrames(page);
  const qualityAfter = await readVideoQuality(page);
  const seeks = await page.evaluate(() => (window as unknown as { __seeks: number }).__seeks);
  cpu.stop();
  const benchCpu = process.cpuUsage(benchCpuStart);
  const serverFps = (await cameras()).map((camera) => camera.fps).filter((fps): fps is number => typeof fps === 'number');

  const windowMs = after.now - before.now;
  const perSecond = (now: Record<string, number>, then: Record<string, number>) => ids.map((id) => ((now[id] ?? 0) - (then[id] ?? 0)) / (windowMs / 1000));
  const received = perSecond(after.received, before.received);
  const drawn = perSecond(after.drawn, before.drawn);
  const shown = kind === 'h264' ? perSecond(videosAfter.presented, videosBefore.presented) : perSecond(after.shown, before.shown);
  const decodedInWindow = after.decoded - before.decoded;
  if (sum(received) === 0 && sum(shown) > 0) {
    throw new Error('frames were shown but none counted as received: has the multipart reader stopped decoding part headers with TextDecoder?');
  }
  const quality = (pick: (entry: VideoQuality) => number) =>
    sum(qualityAfter.map((entry) => pick(entry) - pick(qualityBefore.find((old) => old.id === entry.id) ?? { ...entry, total: 0, dropped: 0 })));
  const result: WallResult = {
    kind,
    windowMs,
    tileWidth: layout[0]!.width,
    firstPictureMs: Math.min(...ids.map((id) => pictured[id]!)),
    allPicturesMs: Math.max(...ids.map((id) => pictured[id]!)),
    server:
      ffmpegStarts.length > 0 && cameraLive.length > 0
        ? { firstFfmpeg: ffmpegStarts[0]!, lastFfmpeg: ffmpegStarts.at(-1)!, firstLive: cameraLive[0]!, lastLive: cameraLive.at(-1)! }
        : undefined,
    streams,
    received,
    shown,
    drawn,
    decodesPerSecond: (after.decodes - before.decodes) / (windowMs / 1000),
    decodeMs: decodedInWindow > 0 ? (after.decodeMs - before.decodeMs) / decodedInWindow : 0,
    video:
      kind === 'h264'
        ? {
            decoded: quality((entry) => entry.total),
            dropped: quality((entry) => entry.dropped),
            behindMedian: median(qualityAfter.map((entry) => entry.behind).filter(Number.isFinite)),
            seeks,
            paths: qualityAfter.length === COUNT ? [] : [`${COUNT - qualityAfter.length} tiles without a <video>`],
          }
        : undefined,
    longTaskShare: (after.longTaskMs - before.longTaskMs) / windowMs,
    renderedFps: (after.renders - before.renders) / (windowMs / 1000),
    cpu: cpu.result(),
    benchSeconds: (benchCpu.user + benchCpu.system) / 1e6,
    serverFps,
    shutdown: '',
  };
  // Which way each tile ended up: an H.264 tile that fell back would be measured as MJPEG.
  const paths = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a[data-camera]')].map((tile) => `${tile.dataset.livePath ?? '?'}${tile.dataset.livePathReason ? ` (${tile.dataset.livePathReason})` : ''}`),
  );
  const wrongPath = paths.filter((entry) => entry !== kind && !(kind === 'mjpeg' && entry.startsWith('mjpeg')));
  if (result.video) result.video.paths.push(...wrongPath);
  else if (wrongPath.length > 0) throw new Error(`tiles not on ${kind}: ${wrongPath.join(', ')}`);
  result.shutdown = await stopWall();
  return result;
}

/** Each camera <video>'s decoded and dropped frames (getVideoPlaybackQuality), how far it plays behind its newest frame, and its tile's path. */
const readVideoQuality = (page: Page): Promise<VideoQuality[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLVideoElement>('video[data-video]')].map((video) => {
      const quality = video.getVideoPlaybackQuality();
      const { buffered } = video;
      const tile = video.closest<HTMLElement>('a[data-camera]');
      return {
        id: video.dataset.video ?? '',
        total: quality.totalVideoFrames,
        dropped: quality.droppedVideoFrames,
        behind: buffered.length ? buffered.end(buffered.length - 1) - video.currentTime : Number.NaN,
        path: tile?.dataset.livePath ?? null,
        reason: tile?.dataset.livePathReason ?? null,
      };
    }),
  );

/** Counts, from now on, the seeks of every camera <video>: the player seeks to the live edge when it falls behind, skipping frames. */
const countSeeks = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const scope = window as unknown as { __seeks: number };
    scope.__seeks = 0;
    for (const video of document.querySelectorAll('video[data-video]')) video.addEventListener('seeking', () => (scope.__seeks += 1));
  });

async function bench(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: sudo apt-get install chromium`);
  const machineLines = machine();
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  const results: WallResult[] = [];
  for (const kind of KINDS) results.push(await runWall(kind));
  console.log([...report(results, machineLines, loadBefore)].join('\n'));
}

function* report(results: readonly WallResult[], machineLines: string[], loadBefore: string): Generator<string> {
  const column = (kind: Kind) => results.find((result) => result.kind === kind);
  const stats = (values: number[]) => `${fixed(Math.min(...values))} / ${fixed(median(values))} / ${fixed(Math.max(...values))}`;
  const share = (values: number[]) => `${fixed((median(values) / FPS) * 100, 0)} % (min ${fixed((Math.min(...values) / FPS) * 100, 0)} %)`;
  const rows: [string, (result: WallResult) => string][] = [
    ['tiles on the path measured', (r) => (r.video ? (r.video.paths.length ? `${COUNT - r.video.paths.length} of ${COUNT}: ${r.video.paths.join('; ')}` : `all ${COUNT} h264`) : `all ${COUNT} mjpeg`)],
    ['grid stream requests of the page', (r) => String(r.streams)],
    ['all tiles showing, after navigation (first / all)', (r) => `${fixed(r.firstPictureMs / 1000)} s / ${fixed(r.allPicturesMs / 1000)} s`],
    ['  server: ffmpeg started first / last; live last', (r) => (r.server ? `${fixed(r.server.firstFfmpeg / 1000)} / ${fixed(r.server.lastFfmpeg / 1000)} s; ${fixed(r.server.lastLive / 1000)} s` : '—')],
    ['received per tile, fps min / median / max', (r) => stats(r.received)],
    ['shown per tile, fps min / median / max', (r) => stats(r.shown)],
    [`shown, share of the source's ${FPS} fps: median (min)`, (r) => share(r.shown)],
    ['tiles shown at ≥ 95 % of the source', (r) => `${r.shown.filter((fps) => fps >= FPS * 0.95).length} of ${COUNT}`],
    ['all tiles: received / shown per second', (r) => `${fixed(sum(r.received), 1)} / ${fixed(sum(r.shown), 1)} (of ${COUNT * FPS})`],
    ['decoding', (r) =>
      r.video
        ? `${fixed(r.video.decoded / (r.windowMs / 1000), 1)} frames/s decoded, ${r.video.dropped} dropped; behind newest ${fixed(r.video.behindMedian, 2)} s (median); ${r.video.seeks} seeks`
        : `${fixed(r.decodesPerSecond, 1)} createImageBitmap/s, ${fixed(r.decodeMs, 0)} ms each; drawn ${fixed(median(r.drawn))} fps/tile`],
    ['page main thread in long tasks; rendering updates', (r) => `${fixed(r.longTaskShare * 100, 0)} %; ${fixed(r.renderedFps, 1)}/s`],
    ['Chromium CPU', (r) => `${percent(r.cpu.seconds.browser, r.windowMs)} (${r.cpu.processes.browser} processes)`],
    ['  of which', (r) =>
      [...r.cpu.chromium]
        .sort((x, y) => y[1] - x[1])
        .filter(([, used]) => used / (r.windowMs / 1000) >= 0.01)
        .slice(0, 3)
        .map(([role, used]) => `${role} ${percent(used, r.windowMs)}`)
        .join(', ')],
    ['Node server CPU', (r) => percent(r.cpu.seconds.server, r.windowMs)],
    ['ffmpeg CPU', (r) => `${percent(r.cpu.seconds.ffmpeg, r.windowMs)} (${r.cpu.processes.ffmpeg} processes)`],
    ['this script (Playwright)', (r) => percent(r.benchSeconds, r.windowMs)],
    ['whole machine busy', (r) => `${fixed(r.cpu.machineBusy * 100, 1)} % of ${os.cpus().length} cores`],
    ['captured (server, /api/cameras fps) median', (r) => (r.serverFps.length ? fixed(median(r.serverFps)) : '—')],
  ];
  const mjpeg = column('mjpeg');
  const h264 = column('h264');
  const cell = (result: WallResult | undefined, render: (result: WallResult) => string) => (result ? render(result) : 'not run');
  yield `camdash grid benchmark: ${COUNT} cameras (test:testsrc2, ${FPS} fps, ${WIDTH} px wide) in one Chromium tab ${VIEWPORT.width}×${VIEWPORT.height} (tiles ${results[0]?.tileWidth ?? '?'} px wide, all on screen), ${fixed((results[0]?.windowMs ?? WINDOW_MS) / 1000, 1)} s window per run; the H.264 run's cameras have "codec": "h264"`;
  yield* machineLines;
  yield `load average before the runs: ${loadBefore}`;
  yield '';
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const left = Math.max(LABEL.mjpeg.length, ...rows.map(([, render]) => cell(mjpeg, render).length)) + 2;
  yield `${''.padEnd(width)}${LABEL.mjpeg.padEnd(left)}${LABEL.h264}`;
  for (const [label, render] of rows) yield `${label.padEnd(width)}${cell(mjpeg, render).padEnd(left)}${cell(h264, render)}`;
  yield '';
  yield 'shown is, for MJPEG, each rendering update at which a tile\'s canvas holds a newer frame; for H.264, each requestVideoFrameCallback of its <video>.';
  for (const result of results) {
    yield `per tile, received/shown fps (${LABEL[result.kind]}):`;
    for (let row = 0; row < Math.ceil(COUNT / 6); row++) {
      yield '  ' + ids.slice(row * 6, row * 6 + 6).map((id, column) => `${id} ${fixed(result.received[row * 6 + column]!, 1)}/${fixed(result.shown[row * 6 + column]!, 1)}`).join('  ');
    }
  }
  yield '';
  for (const result of results) yield `shutdown (${LABEL[result.kind]}): ${result.shutdown}`;
}

/** Stops this run's Chromium, server and ffmpegs; says how the server shut down. */
async function stopWall(): Promise<string> {
  let shutdown = '';
  const running = server;
  const ffmpegPids = running?.ffmpegPids() ?? [];
  await browser?.close().catch((error: Error) => console.error(`bench: closing Chromium failed: ${error.message}`));
  browser = undefined;
  const stopped = await running?.stop().catch((error: Error) => console.error(`bench: ${error.message.split('\n')[0]}`));
  server = undefined;
  // The server stops its ffmpegs on SIGTERM; make sure none outlived it (a zombie is dead already).
  const alive = (pid: number) => processAlive(pid) && readProcState(pid) !== 'Z';
  const deadline = Date.now() + 3_000;
  while (ffmpegPids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const leftovers = ffmpegPids.filter(alive);
  if (stopped) {
    const zombies = ffmpegPids.filter((pid) => readProcState(pid) === 'Z');
    const shutdownLog = running?.log() ?? '';
    const said = ['SIGTERM: stopping cameras', 'cameras stopped; exiting', 'cameras did not stop in time']
      .filter((line) => shutdownLog.includes(line))
      .join('", "');
    shutdown =
      `the server exited ${stopped.ms} ms after SIGTERM (${stopped.signal ?? `code ${stopped.code}`}; camdash logged "${said}"); ` +
      `${ffmpegPids.length - leftovers.length} of ${ffmpegPids.length} ffmpeg gone` +
      (zombies.length > 0 ? ` (${zombies.length} of them as zombies the server exited without reaping)` : '');
  }
  if (leftovers.length > 0) {
    console.error(
      `bench: ${leftovers.length} of ${ffmpegPids.length} ffmpeg outlived the server by 3 s ` +
        `(server exit ${JSON.stringify(stopped)}); killing them: ${leftovers.join(' ')}\n` +
        `--- end of the server's output ---\n${running?.log().split('\n').slice(-8).join('\n')}`,
    );
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (camerasDir) rmSync(camerasDir, { recursive: true, force: true });
  camerasDir = undefined;
  return shutdown;
}

async function cleanUp(): Promise<void> {
  const shutdown = await stopWall();
  if (shutdown) console.error(`bench: stopped early; ${shutdown}`);
}

function readProcState(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

// One clean-up, whoever asks first (the run's end, an error, Ctrl-C); the process exits only after it.
let cleaning: Promise<void> | undefined;
const cleanUpOnce = () => (cleaning ??= cleanUp());

// Should the process end before the clean-up has stopped the server, the server still gets its SIGTERM.
process.on('exit', () => {
  if (server && !server.exited()) {
    try {
      process.kill(server.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  if (camerasDir) rmSync(camerasDir, { recursive: true, force: true });
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    console.error(`bench: ${signal}, stopping`);
    void cleanUpOnce().finally(() => process.exit(130));
  });
}

let exitCode = 0;
let overtime: NodeJS.Timeout | undefined;
try {
  await Promise.race([
    bench(),
    new Promise<never>((_, reject) => {
      overtime = setTimeout(() => reject(new Error(`the benchmark took over ${RUN_TIMEOUT_MS / 1000} s; stopped`)), RUN_TIMEOUT_MS);
    }),
  ]);
} catch (error) {
  exitCode = 1;
  if (!stopping) {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    if (server) console.error(`--- last server output ---\n${server.log().split('\n').slice(-30).join('\n')}`);
  }
} finally {
  clearTimeout(overtime);
  await cleanUpOnce();
}
process.exit(stopping ? 130 : exitCode);
