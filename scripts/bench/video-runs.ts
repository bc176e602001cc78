/**
 * Runs 8 and 9 of npm run bench: what serving an RTSP camera's own H.264 costs the server (Node and
 * the camera's ffmpeg, which copies the video into fMP4) with a browser playing it on the camera
 * page and with further HTTP clients of GET /api/cameras/<id>/video, and how many bytes a video
 * viewer is sent against the camera's own bitrate.
 */
import type { NextServer } from '../../tests/helpers/next-server';
import { waitFor } from '../../tests/helpers/wait-for';
import { sampleTree, serverCpuPercent, cpuPercent } from './proc-tree';
import { fixed, mbits, sleep, type Row } from './table';
import { framesPresentedIn } from '../../tests/helpers/video-frame-counter';
import { closeBrowser, closeVideoViewers, openBrowser, openVideoViewers } from './video-resources';
import { between, type VideoViewer } from './video-viewer';

export type VideoRunContext = {
  server: NextServer;
  rows: Row[];
  /** Run 0's: Node's CPU with no viewer (and no ffmpeg), % of a core. */
  idleCpu: number;
  quick: boolean;
  fps: number;
  warmUpMs: number;
  windowMs: number;
  serverWarmMs: number;
  warmingStepMs: number;
};

const EXTRA_VIEWERS = [1, 8, 32];
/** Windows for CPU: 1 tick (10 ms) in 30 s is 0.03 % of a core, 32 viewers at the target 1.6 %. */
const cpuWindowMs = (quick: boolean) => (quick ? 5_000 : 30_000);
const BYTES_VIEWERS = 8;

export function videoCpuRunMs(context: Pick<VideoRunContext, 'quick' | 'serverWarmMs' | 'warmUpMs'>): number {
  return context.serverWarmMs + (1 + EXTRA_VIEWERS.length) * (cpuWindowMs(context.quick) + context.warmUpMs + 10_000) + 60_000;
}

/** The server's CPU over one window, % of a core: in all, Node's, its ffmpegs' (and how many ran throughout). */
export type CpuWindow = { total: number; node: number; ffmpeg: number; ffmpegCount: number };

export async function cpuWindow(pid: number, ms: number): Promise<CpuWindow> {
  const before = sampleTree(pid);
  await sleep(ms);
  const after = sampleTree(pid);
  return { total: serverCpuPercent(before, after), node: cpuPercent(before, after, 'nodeTicks'), ffmpeg: cpuPercent(before, after, 'ffmpegTicks'), ffmpegCount: Math.min(before.ffmpegCount, after.ffmpegCount) };
}

export async function cpuInSteps(pid: number, totalMs: number, stepMs: number): Promise<number[]> {
  const steps: number[] = [];
  for (let waited = 0; waited < totalMs; waited += stepMs) steps.push((await cpuWindow(pid, Math.min(stepMs, totalMs - waited))).total);
  return steps;
}

export async function camerasStopped(server: NextServer, run: string): Promise<void> {
  await waitFor(() => sampleTree(server.pid).ffmpegCount === 0, { timeoutMs: 30_000, message: `earlier cameras to stop before run ${run}` });
}

async function waitForFragments(viewers: readonly VideoViewer[]): Promise<void> {
  await waitFor(
    () => {
      const failed = viewers.find((viewer) => viewer.error);
      if (failed) throw new Error(`a video viewer failed: ${failed.error}`);
      return viewers.every((viewer) => viewer.arrivals.length > 0);
    },
    { timeoutMs: 20_000, message: 'every video viewer to get a fragment' },
  );
}

/**
 * Run 8. The camera page in Chromium, playing the camera's H.264 (checked: data-live-path="h264",
 * frames presented), held until V8 has compiled the streaming path; then 1, 8 and 32 HTTP clients
 * of the video beside it. CPU is the server's whole tree over run 0's idle.
 */
export async function runVideoCpu(context: VideoRunContext, cameraId: string): Promise<void> {
  const { server, rows, idleCpu, fps } = context;
  await camerasStopped(server, '8');
  const windowMs = cpuWindowMs(context.quick);
  const browser = await openBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/cameras/${cameraId}`);
    await page.waitForSelector('[data-live-path="h264"]', { timeout: 15_000 });
    await waitFor(async () => (await framesPresentedIn(page, 1_000)) >= fps / 2, { timeoutMs: 15_000, message: 'the camera page to play the video' });
    const warming = await cpuInSteps(server.pid, context.serverWarmMs, context.warmingStepMs);
    console.error(`run 8: server CPU (Node + ffmpeg) while warming, each ${context.warmingStepMs / 1000} s: ${warming.map((cpu) => fixed(cpu, 2)).join(' → ')} % of a core`);
    const alone = await cpuWindow(server.pid, windowMs);
    const shownFps = (await framesPresentedIn(page, 3_000)) / 3;

    const withViewers = new Map<number, CpuWindow & { slowestFps: number }>();
    for (const count of EXTRA_VIEWERS) {
      const viewers = openVideoViewers(`${server.url}/api/cameras/${cameraId}/video`, count);
      try {
        await waitForFragments(viewers);
        await sleep(context.warmUpMs);
        const before = viewers.map((viewer) => viewer.tally());
        const result = await cpuWindow(server.pid, windowMs);
        const after = viewers.map((viewer) => viewer.tally());
        withViewers.set(count, { ...result, slowestFps: Math.min(...viewers.map((_, index) => between(before[index]!, after[index]!).fps)) });
      } finally {
        await closeVideoViewers(viewers);
      }
    }

    // The same camera with one HTTP client of its video and no browser: what the page adds (its
    // polling of /api/cameras every 2 s) against what streaming the video costs.
    const [plain] = openVideoViewers(`${server.url}/api/cameras/${cameraId}/video`, 1);
    let withoutPage: CpuWindow;
    try {
      await waitForFragments([plain!]);
      await closeBrowser(browser);
      await sleep(context.warmUpMs);
      withoutPage = await cpuWindow(server.pid, windowMs);
    } finally {
      await closeVideoViewers([plain!]);
    }

    const overIdle = (result: CpuWindow) => result.total - idleCpu;
    const split = (result: CpuWindow) => `Node ${fixed(result.node, 2)} + ffmpeg ${fixed(result.ffmpeg, 2)} (${result.ffmpegCount})`;
    rows.push({ run: '8 H.264 720p15, 1 browser viewer', measure: 'server CPU over idle (Node + its ffmpegs)', value: `${fixed(overIdle(alone), 2)} % of a core`, target: '≤ 1 %', met: overIdle(alone) <= 1 });
    rows.push({ run: '', measure: 'the same: Node + ffmpeg (how many)', value: `${split(alone)} %` });
    rows.push({ run: '', measure: `while warming, first → last ${context.warmingStepMs / 1000} s`, value: `${fixed(warming[0]!, 2)} → ${fixed(warming.at(-1)!, 2)} %` });
    rows.push({ run: '', measure: 'frames the page presented', value: `${fixed(shownFps, 1)} fps` });
    rows.push({ run: '', measure: 'no browser, 1 HTTP video viewer instead', value: `${fixed(overIdle(withoutPage), 2)} % (${split(withoutPage)} %)` });
    for (const [count, result] of withViewers) {
      rows.push({ run: `8 + ${count} HTTP video viewer${count > 1 ? 's' : ''}`, measure: 'server CPU over idle; slowest viewer fps', value: `${fixed(overIdle(result), 2)} %; ${fixed(result.slowestFps, 2)}`, target: `fps ≥ ${fixed(fps * 0.95, 2)}`, met: result.slowestFps >= fps * 0.95 });
      rows.push({ run: '', measure: 'Node + ffmpeg (how many)', value: `${split(result)} %` });
    }
    const most = Math.max(...EXTRA_VIEWERS);
    const perViewer = (withViewers.get(most)!.total - alone.total) / most;
    // Least squares over 0, 1, 8 and 32 further viewers: less at the mercy of one window's noise.
    const points: [number, number][] = [[0, alone.total], ...[...withViewers].map(([count, result]): [number, number] => [count, result.total])];
    const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
    const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
    const slope = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
    rows.push({ run: '8 cost of a video viewer', measure: `server CPU per further viewer (${most} − 0) / ${most}`, value: `${fixed(perViewer, 3)} % of a core`, target: '≤ 0.05 %', met: perViewer <= 0.05 });
    rows.push({ run: '', measure: 'the same, least squares over 0/1/8/32', value: `${fixed(slope, 3)} % of a core` });
  } finally {
    await closeBrowser(browser);
  }
}

async function serverBitrate(server: NextServer, cameraId: string): Promise<number | undefined> {
  const response = await fetch(`${server.url}/api/cameras`).catch(() => undefined);
  if (!response?.ok) return undefined;
  const { cameras } = (await response.json()) as { cameras: { id: string; video: { bitsPerSecond: number } | null }[] };
  return cameras.find((camera) => camera.id === cameraId)?.video?.bitsPerSecond;
}

/**
 * Run 9. Eight HTTP clients of a camera's video over one window: the bytes each read off its
 * socket (everything: HTTP, chunked framing, part headers, boundaries) against the camera's own
 * bitrate, the bytes of the fMP4 fragments (moof+mdat) the server received from its ffmpeg, which
 * are the fragment parts' bodies (a viewer that skipped none has them all: their rates are
 * checked equal). The server's own figure (/api/cameras video.bitsPerSecond) is printed beside it.
 */
export async function runVideoBytes(context: VideoRunContext, cameras: readonly { id: string; label: string }[]): Promise<void> {
  const { server, rows, fps } = context;
  for (const [index, camera] of cameras.entries()) {
    await camerasStopped(server, '9');
    const viewers = openVideoViewers(`${server.url}/api/cameras/${camera.id}/video`, BYTES_VIEWERS);
    try {
      await waitForFragments(viewers);
      await sleep(context.warmUpMs);
      const before = viewers.map((viewer) => viewer.tally());
      const reported: number[] = [];
      const until = Date.now() + context.windowMs;
      while (Date.now() < until) {
        await sleep(Math.min(1_000, until - Date.now()));
        const rate = await serverBitrate(server, camera.id);
        if (rate !== undefined) reported.push(rate);
      }
      const rates = viewers.map((viewer, at) => between(before[at]!, viewer.tally()));
      const camerasRate = Math.max(...rates.map((rate) => rate.fragmentBitsPerSecond));
      const fewestFragments = Math.min(...rates.map((rate) => rate.fragmentBitsPerSecond));
      const worst = Math.max(...rates.map((rate) => rate.wireBitsPerSecond));
      const ratio = worst / camerasRate;
      const serverSaid = reported.reduce((sum, rate) => sum + rate, 0) / Math.max(1, reported.length);
      const run = index === 0 ? `9 bytes per video viewer (${BYTES_VIEWERS} viewers)` : '';
      rows.push({ run, measure: `${camera.label}: sent per viewer / camera's bitrate`, value: `${fixed(ratio, 3)} × (${mbits(worst)} / ${mbits(camerasRate)})`, target: '≤ 1.1 ×', met: ratio <= 1.1 });
      const slowestFps = Math.min(...rates.map((rate) => rate.fps));
      rows.push({ run: '', measure: `${camera.label}: slowest viewer fps; fragments, least`, value: `${fixed(slowestFps, 2)}; ${mbits(fewestFragments)}`, target: `fps ≥ ${fixed(fps * 0.95, 2)}`, met: slowestFps >= fps * 0.95 });
      rows.push({ run: '', measure: `${camera.label}: the server's video.bitsPerSecond`, value: mbits(serverSaid) });
    } finally {
      await closeVideoViewers(viewers);
    }
  }
}
