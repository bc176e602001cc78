/**
 * npm run bench:grid — a wall of 36 test-pattern cameras in Chromium for 30 s, and what it costs.
 *
 * Prints, per tile, the frames per second the page received, drew on the tile's canvas, and showed
 * (a newer frame at a rendering update), and the JPEG decodes it ran, counted by wrapping browser
 * functions the app calls (bench-grid-frame-counter.ts; the app itself is not changed); the CPU
 * time of Chromium, of the Node server and of its ffmpeg children (utime+stime from /proc/<pid>/stat
 * over the window, as % of one core); the time until every tile shows a picture; and the machine.
 * Loopback only; stops what it started (Chromium by closing it, the server by SIGTERM to its child
 * handle), on errors too.
 *
 * Run with jiti (Node 20 cannot run TypeScript): `node_modules/.bin/jiti scripts/bench-grid.ts`.
 * Needs a production build in .next/ (the npm script builds when there is none).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, type TestBrowser } from '../tests/helpers/browser';
import { startNextServer, type NextServer } from '../tests/helpers/next-server';
import { processAlive, waitFor } from '../tests/helpers/wait-for';
import { installFrameCounter, readCounts } from './bench-grid-frame-counter';

const COUNT = 36;
const FPS = 5;
const WIDTH = 320;
const WINDOW_MS = 30_000;
const WARM_UP_MS = 3_000;
const VIEWPORT = { width: 1920, height: 1600 };
const FIRST_PICTURES_TIMEOUT_MS = 30_000;
// The whole run (server start, first pictures, warm-up, window, shutdown) stays well under 2 min.
const RUN_TIMEOUT_MS = 110_000;
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
// The run

let server: NextServer | undefined;
let browser: TestBrowser | undefined;
let camerasDir: string | undefined;

async function bench(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: sudo apt-get install chromium`);
  const machineLines = machine();

  camerasDir = mkdtempSync(path.join(os.tmpdir(), 'camdash-bench-'));
  const camerasFile = path.join(camerasDir, 'cameras.json');
  writeFileSync(
    camerasFile,
    JSON.stringify({ cameras: ids.map((id) => ({ id, name: id, source: 'test:testsrc2', fps: FPS, width: WIDTH })) }),
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

  await page.goto(`${server.url}/`);
  const pictured = await waitFor(
    async () => {
      const counts = await readCounts(page);
      return ids.every((id) => counts.firstShown[id] !== undefined) ? counts : undefined;
    },
    { timeoutMs: FIRST_PICTURES_TIMEOUT_MS, intervalMs: 100, message: `all ${COUNT} tiles to show a picture` },
  ).catch(async (error: Error) => {
    const counts = await readCounts(page).catch(() => undefined);
    const missing = ids.filter((id) => counts?.firstShown[id] === undefined);
    throw new Error(`${error.message}; tiles without a picture: ${missing.join(', ')}`);
  });
  // When the server started the cameras, from its log's timestamps, on the page's clock.
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const logged = (pattern: RegExp) =>
    [...(server?.log() ?? '').matchAll(pattern)].map((match) => Date.parse(match[1]!) - timeOrigin).sort((a, b) => a - b);
  const ffmpegStarts = logged(/^(\S+Z) .*: ffmpeg started/gm);
  const cameraLive = logged(/^(\S+Z) .*camera [\w-]+: live$/gm);
  const allPicturesMs = Math.max(...ids.map((id) => pictured.firstShown[id]!));
  const firstPictureMs = Math.min(...ids.map((id) => pictured.firstShown[id]!));

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
  type ApiCamera = { id: string; viewers: number; fps?: number | null };
  const cameras = async () => ((await (await fetch(`${serverUrl}/api/cameras`)).json()) as { cameras: ApiCamera[] }).cameras;
  const notStreaming = (await cameras()).filter((camera) => camera.viewers !== 1).map((camera) => `${camera.id} (${camera.viewers})`);
  if (notStreaming.length > 0) throw new Error(`cameras without exactly one viewer: ${notStreaming.join(', ')}`);

  await page.waitForTimeout(WARM_UP_MS);

  // The window.
  const cpu = new CpuWindow(server.pid);
  const benchCpuStart = process.cpuUsage();
  cpu.start();
  const before = await readCounts(page);
  await page.waitForTimeout(WINDOW_MS);
  const after = await readCounts(page);
  cpu.stop();
  const benchCpu = process.cpuUsage(benchCpuStart);
  const serverFps = (await cameras()).map((camera) => camera.fps).filter((fps): fps is number => typeof fps === 'number');

  const windowMs = after.now - before.now;
  const perSecond = (table: (counts: typeof after) => Record<string, number>) =>
    ids.map((id) => ((table(after)[id] ?? 0) - (table(before)[id] ?? 0)) / (windowMs / 1000));
  const fps = perSecond((counts) => counts.received);
  const drawnFps = perSecond((counts) => counts.drawn);
  const shownFps = perSecond((counts) => counts.shown);
  const decodesPerSecond = (after.decodes - before.decodes) / (windowMs / 1000);
  const decodedInWindow = after.decoded - before.decoded;
  const decodeMs = decodedInWindow > 0 ? (after.decodeMs - before.decodeMs) / decodedInWindow : 0;
  if (sum(fps) === 0 && sum(drawnFps) > 0) {
    throw new Error('frames were drawn but none counted as received: has the multipart reader stopped decoding part headers with TextDecoder?');
  }
  const renderedFps = (after.renders - before.renders) / (windowMs / 1000);
  const { seconds, processes, chromium, machineBusy } = cpu.result();
  const below = ids.filter((_, index) => fps[index]! < FPS * 0.95);

  const stats = (values: number[]) => `min ${fixed(Math.min(...values))}   median ${fixed(median(values))}   max ${fixed(Math.max(...values))}`;
  const cpuRow = (label: string, value: string) => `  ${label.padEnd(30)} ${value}`;
  const lines = [
    `camdash grid benchmark: ${COUNT} cameras (test:testsrc2, ${FPS} fps, ${WIDTH} px wide) in one Chromium tab ${VIEWPORT.width}×${VIEWPORT.height} (tiles ${layout[0]!.width} px wide, all on screen), ${fixed(windowMs / 1000, 1)} s window`,
    ...machineLines,
    '',
    `time to pictures, after navigation start: first tile ${fixed(firstPictureMs / 1000)} s, all ${COUNT} tiles ${fixed(allPicturesMs / 1000)} s` +
      (ffmpegStarts.length > 0 && cameraLive.length > 0
        ? `   (server: first ffmpeg started ${fixed(ffmpegStarts[0]! / 1000)} s, last ${fixed(ffmpegStarts.at(-1)! / 1000)} s; first camera live ${fixed(cameraLive[0]! / 1000)} s, last ${fixed(cameraLive.at(-1)! / 1000)} s)`
        : ''),
    '',
    `frames per second per tile; the source sends ${FPS}:`,
    `  received (parts that arrived) ${stats(fps)}   total ${fixed(sum(fps), 1)} of ${COUNT * FPS}`,
    `  drawn (drawImage on canvas)   ${stats(drawnFps)}   total ${fixed(sum(drawnFps), 1)}`,
    `  shown (newer frame painted)   ${stats(shownFps)}   total ${fixed(sum(shownFps), 1)}`,
    `  decodes (createImageBitmap)   ${fixed(decodesPerSecond, 1)}/s for all tiles, ${fixed(decodeMs, 1)} ms each from call to bitmap (mean)`,
    serverFps.length > 0 ? `  captured (server, /api/cameras fps) ${stats(serverFps)}` : '  captured: /api/cameras reports no fps',
    `  per tile, received/drawn:`,
    ...Array.from({ length: Math.ceil(COUNT / 6) }, (_, row) =>
      '    ' +
      ids
        .slice(row * 6, row * 6 + 6)
        .map((id, column) => `${id} ${fixed(fps[row * 6 + column]!, 1)}/${fixed(drawnFps[row * 6 + column]!, 1)}`)
        .join('  '),
    ),
    below.length > 0 ? `  ${below.length} of ${COUNT} tiles received under 95 % of ${FPS} fps` : `  every tile received at least 95 % of ${FPS} fps`,
    `  page main thread: long tasks (> 50 ms) ${fixed(((after.longTaskMs - before.longTaskMs) / windowMs) * 100, 0)} % of the window; the page rendered ${fixed(renderedFps, 1)} frames/s (requestAnimationFrame)`,
    '',
    `CPU over the window (utime+stime from /proc; 100 % = one core, the machine has ${os.cpus().length}):`,
    cpuRow(`Chromium (${processes.browser} processes)`, `${percent(seconds.browser, windowMs)}   (${[...chromium]
      .sort((x, y) => y[1] - x[1])
      .filter(([, used]) => used >= 0.05)
      .map(([role, used]) => `${role} ${percent(used, windowMs)}`)
      .join(', ')})`),
    cpuRow('Node server (next start)', percent(seconds.server, windowMs)),
    cpuRow(`ffmpeg (${processes.ffmpeg} processes)`, `${percent(seconds.ffmpeg, windowMs)}   (${percent(seconds.ffmpeg / Math.max(1, processes.ffmpeg), windowMs)} each)`),
    cpuRow('this script (Playwright)', percent((benchCpu.user + benchCpu.system) / 1e6, windowMs)),
    cpuRow('whole machine busy', `${fixed(machineBusy * 100, 1)} % of ${os.cpus().length} cores`),
  ];
  console.log(lines.join('\n'));
}

async function cleanUp(): Promise<void> {
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
    console.log(
      `\nshutdown: the server exited ${stopped.ms} ms after SIGTERM (${stopped.signal ?? `code ${stopped.code}`}; camdash logged "${said}"); ` +
        `${ffmpegPids.length - leftovers.length} of ${ffmpegPids.length} ffmpeg gone` +
        (zombies.length > 0 ? ` (${zombies.length} of them as zombies the server exited without reaping)` : ''),
    );
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
