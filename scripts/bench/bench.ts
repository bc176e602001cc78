/**
 * npm run bench — what serving viewers costs and how well it serves them: camdash in production mode
 * against sources this script starts (a real GStreamer RTSP server at 1280×720@15 and 640×360@10,
 * and the built-in test pattern), viewers on their own TCP connections, CPU and memory from /proc.
 * Prints one table. Loopback only, bounded in time, stops everything it started (on errors too).
 * As root it runs in a network namespace of its own, where run 4's slow link is shaped loopback.
 * Runs 1–7 serve MJPEG viewers (through the camera's one connection and its MJPEG transcoder);
 * runs 8–11 serve the camera's own H.264 (video-runs.ts, video-page-runs.ts), 10 and 11 in
 * Chromium on the camera page.
 *
 * BENCH_CHURN_MINUTES (default 10) sets the length of run 6, BENCH_PLAY_MINUTES (default 10) that
 * of run 10; BENCH_QUICK=1 shortens every window; BENCH_RUNS=2,4 runs only those runs (run 0, the
 * idle baseline, always runs).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNextServer, type NextServer } from '../../tests/helpers/next-server';
import { startRtspServer, type RtspServer } from '../../tests/helpers/rtsp-server';
import { waitFor } from '../../tests/helpers/wait-for';
import { JpegSplitter } from '../../lib/mjpeg/jpeg-splitter';
import { delayMs, readClockStamps } from './clock-stamp';
import { startFfmpeg, type FfmpegSetup } from './ffmpeg-chain';
import { cpuPercent, processesCpuPercent, sampleTree, type TreeSample } from './proc-tree';
import { fixed, mb, sleep, tableLines, type Row } from './table';
import { runScreenDelay, runVideoJoin, videoPageRunsMs } from './video-page-runs';
import { stopVideoResources } from './video-resources';
import { runVideoBytes, runVideoCpu, videoCpuRunMs, type VideoRunContext } from './video-runs';
import { Viewer, type ViewerOptions } from './viewer';
import { percentile, waitsBeforeFirstByte, summarize, type ViewerSummary } from './viewer-stats';
import { inOwnNetwork, jitiCommand, rerunInOwnNetwork, SEGMENT_DATA_BYTES, setUpLoopback, shapeLoopbackPort } from './own-network';

const QUICK = process.env.BENCH_QUICK === '1';
const WINDOW_MS = QUICK ? 5_000 : 15_000;
const WARM_UP_MS = QUICK ? 2_000 : 4_000;
// V8 compiles the code that streams a camera only after it has run for a while: at 15 frames a
// second, Node's CPU for one camera falls from about 2 % to 1 % of a core over the first two to three
// minutes of a server's first stream (measured by hand, 30 s windows), then stays. The cost of a
// camera is measured once that has happened; the first 15 s are printed beside it.
const SERVER_WARM_MS = QUICK ? 10_000 : 210_000;
const WARMING_STEP_MS = QUICK ? 5_000 : 30_000;
const CHURN_MS = (QUICK ? 0.5 : Number(process.env.BENCH_CHURN_MINUTES ?? 10)) * 60_000;
const RUNS = new Set((process.env.BENCH_RUNS ?? '1,2,3,4,5,6,7,8,9,10,11').split(',').map((run) => run.trim()));
const DEADLINE_MS =
  CHURN_MS + SERVER_WARM_MS + 15 * 60_000 + (RUNS.has('8') ? videoCpuRunMs({ quick: QUICK, serverWarmMs: SERVER_WARM_MS, warmUpMs: WARM_UP_MS }) : 0) + (RUNS.has('10') || RUNS.has('11') ? videoPageRunsMs(QUICK) : 0);
const HD = { width: 1280, height: 720, fps: 15 };
const SD = { width: 640, height: 360, fps: 10 };

const rows: Row[] = [];
const started: { rtsp: RtspServer[]; server?: NextServer; viewers: Set<Viewer> } = { rtsp: [], viewers: new Set() };


function open(url: string, options: ViewerOptions = {}): Viewer {
  const viewer = new Viewer(url, options);
  started.viewers.add(viewer);
  return viewer;
}
async function closeAll(viewers: Iterable<Viewer>): Promise<void> {
  await Promise.all([...viewers].map(async (viewer) => {
    await viewer.close();
    started.viewers.delete(viewer);
  }));
}

/**
 * Opens viewers, lets them warm up, measures a window; returns per-viewer summaries and CPU. A long
 * warm-up is taken in steps whose Node CPU is returned too, to show where it settles.
 */
async function measure(server: NextServer, urls: string[], slowViewers: { url: string; options: ViewerOptions }[] = [], { warmUpMs = WARM_UP_MS } = {}) {
  const viewers = urls.map((url) => open(url));
  const slow = slowViewers.map(({ url, options }) => open(url, options));
  await waitFor(() => [...viewers, ...slow].every((viewer) => viewer.arrivals.length > 0), { timeoutMs: 20_000, message: 'every viewer to get a frame' });
  const warmingCpu = await nodeCpuInSteps(server.pid, warmUpMs);
  const before = sampleTree(server.pid);
  const from = Date.now();
  await sleep(WINDOW_MS);
  const after = sampleTree(server.pid);
  const window = { from, to: Date.now() };
  const summaries = viewers.map((viewer) => summarize(viewer.arrivals, viewer.openedAt, window));
  const slowSummaries = slow.map((viewer) => summarize(viewer.arrivals, viewer.openedAt, window));
  const invalid = [...viewers, ...slow].reduce((total, viewer) => total + viewer.invalid, 0);
  await closeAll([...viewers, ...slow]);
  return { summaries, slowSummaries, slowViewers: slow, window, warmingCpu, nodeCpu: cpuPercent(before, after, 'nodeTicks'), ffmpegCpu: cpuPercent(before, after, 'ffmpegTicks'), before, after, invalid };
}

async function nodeCpuInSteps(serverPid: number, totalMs: number): Promise<number[]> {
  const steps: number[] = [];
  for (let waited = 0; waited < totalMs; waited += WARMING_STEP_MS) {
    const stepMs = Math.min(WARMING_STEP_MS, totalMs - waited);
    const before = sampleTree(serverPid);
    await sleep(stepMs);
    steps.push(cpuPercent(before, sampleTree(serverPid), 'nodeTicks'));
  }
  return steps;
}

const minFps = (summaries: ViewerSummary[]) => Math.min(...summaries.map((summary) => summary.fps));

/** ffmpeg alone on a camera, JPEGs to /dev/null: each process's CPU (the single old ffmpeg; the chain's copy and transcoder). */
async function ffmpegAlone(url: string, setup: FfmpegSetup): Promise<number[]> {
  const running = startFfmpeg(url, setup, { toDevNull: true });
  try {
    return await processesCpuPercent(running.pids, WARM_UP_MS, WINDOW_MS);
  } finally {
    running.stop();
  }
}

/** A JPEG as it arrived, and for camdash's viewers when it left the server's transcoder (the part's X-Frame-Timestamp). */
type StampedFrame = { arrivedAt: number; jpeg: Uint8Array; leftTranscoderAt?: number };

/**
 * Delays of the frames a source delivered over one window, from the clock stamped in each picture;
 * for camdash also the delay to the moment the server had each JPEG from its transcoder.
 */
async function stampedDelays(start: () => { frames: () => StampedFrame[]; stop: () => Promise<void> }): Promise<{ delays: number[]; atServer: number[] }> {
  const source = start();
  try {
    await waitFor(() => source.frames().length > 0, { timeoutMs: 20_000, message: 'a stamped frame' });
    await sleep(WARM_UP_MS);
    const from = Date.now();
    await sleep(WINDOW_MS);
    const inWindow = source.frames().filter((frame) => frame.arrivedAt >= from);
    const stamps = await readClockStamps(inWindow.map((frame) => frame.jpeg));
    return {
      delays: inWindow.map((frame, index) => delayMs(frame.arrivedAt, stamps[index]!)),
      atServer: inWindow.flatMap((frame, index) => (frame.leftTranscoderAt === undefined ? [] : [delayMs(frame.leftTranscoderAt, stamps[index]!)])),
    };
  } finally {
    await source.stop();
  }
}

/** ffmpeg alone on a camera (the old single ffmpeg, or the chain camdash runs now), its JPEGs noted as they leave the pipe. */
function ffmpegFrames(url: string, setup: FfmpegSetup, options: { defaultInputOptions?: boolean } = {}): { frames: () => StampedFrame[]; stop: () => Promise<void> } {
  const running = startFfmpeg(url, setup, options);
  const splitter = new JpegSplitter();
  const frames: StampedFrame[] = [];
  running.jpegs.stdout!.on('data', (chunk: Buffer) => {
    for (const jpeg of splitter.push(chunk)) frames.push({ arrivedAt: Date.now(), jpeg });
  });
  return {
    frames: () => frames,
    stop: async () => running.stop(),
  };
}

const loadAtStart = os.loadavg()[0]!;

async function bench(): Promise<void> {
  const benchStarted = Date.now();
  const hd = await startRtspServer(HD);
  started.rtsp.push(hd);
  const sd = await startRtspServer(SD);
  started.rtsp.push(sd);
  const clock = await startRtspServer({ ...HD, clockStamp: true });
  started.rtsp.push(clock);
  // Run 11's camera: a keyframe every 4 s.
  const longGop = await startRtspServer({ ...HD, clockStamp: true, gopFrames: HD.fps * 4 });
  started.rtsp.push(longGop);
  const cameras = [
    { id: 'hd', name: 'HD', source: hd.url() },
    { id: 'pattern', name: 'Pattern', source: 'test:testsrc2', fps: 10, width: 640 },
    { id: 'clock', name: 'Clock', source: clock.url() },
    { id: 'gop4', name: 'GOP 4 s', source: longGop.url() },
    ...Array.from({ length: 16 }, (_, index) => ({ id: `sd-${index + 1}`, name: `SD ${index + 1}`, source: sd.url() })),
  ];
  const camerasFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'camdash-bench-')), 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras }, null, 2));
  const server = await startNextServer({ camerasFile, graceMs: 2_000 });
  started.server = server;
  const stream = (id: string) => `${server.url}/api/cameras/${id}/stream`;

  // Node's own idle cost (Next's timers, the status of cameras nobody watches): the baseline that
  // per-camera and per-viewer figures are measured against. The garbage collection after start-up
  // takes about 20 s to settle: measured sooner, idle read 1.1–1.5 % of a core instead of 0.1 %.
  await sleep(QUICK ? WARM_UP_MS : 25_000);
  const idleBefore = sampleTree(server.pid);
  await sleep(WINDOW_MS);
  const idleCpu = cpuPercent(idleBefore, sampleTree(server.pid), 'nodeTicks');
  rows.push({ run: '0 idle server, no viewer', measure: 'Node CPU', value: `${fixed(idleCpu)} %` });

  if (RUNS.has('1')) {
    // 1. The floor: ffmpeg alone, JPEGs to /dev/null. Camdash's chain now: the camera's one
    // connection copying its video, piped into the transcoder decoding it (camdash has Node
    // between the two); and the single ffmpeg decoding RTSP that camdash ran until 2026-12-01.
    const [reader, transcoder] = await ffmpegAlone(hd.url(), 'chain');
    const [single] = await ffmpegAlone(hd.url(), 'single');
    rows.push({ run: '1 ffmpeg alone, RTSP 1280×720@15', measure: 'chain (copy → transcoder from stdin): CPU', value: `${fixed(reader! + transcoder!)} % (${fixed(reader!)} + ${fixed(transcoder!)} %)` });
    rows.push({ run: '', measure: 'old single ffmpeg (decode RTSP → JPEG): CPU', value: `${fixed(single!)} %` });
  }

  if (RUNS.has('2')) {
    // 2. One camera, 1 / 8 / 32 viewers. The first viewer is the server's first stream; the figures
    // for cost are taken once V8 has compiled the streaming path (SERVER_WARM_MS).
    const cold = await measure(server, [stream('hd')]);
    const one = await measure(server, [stream('hd')], [], { warmUpMs: SERVER_WARM_MS });
    console.error(`run 2: Node CPU while warming, each ${WARMING_STEP_MS / 1000} s: ${one.warmingCpu.map((cpu) => fixed(cpu, 2)).join(' → ')} % of a core`);
    const perViewerCount = new Map<number, Awaited<ReturnType<typeof measure>>>([[1, one]]);
    for (const count of [8, 32]) perViewerCount.set(count, await measure(server, Array.from({ length: count }, () => stream('hd'))));
    for (const [count, result] of perViewerCount) {
      const fps = minFps(result.summaries);
      rows.push({ run: `2 one camera, ${count} viewer${count > 1 ? 's' : ''}`, measure: 'slowest viewer fps', value: fixed(fps, 2), target: `≥ ${fixed(HD.fps * 0.95, 2)}`, met: fps >= HD.fps * 0.95 });
      rows.push({ run: '', measure: 'Node CPU / ffmpeg CPU', value: `${fixed(result.nodeCpu)} % / ${fixed(result.ffmpegCpu)} %` });
      rows.push({ run: '', measure: 'largest gap (worst viewer); invalid JPEGs', value: `${Math.max(...result.summaries.map((summary) => summary.largestGapMs))} ms; ${result.invalid}` });
    }
    const many = perViewerCount.get(32)!;
    const perExtraViewer = (many.nodeCpu - one.nodeCpu) / 31;
    rows.push({ run: '2 cost of a viewer', measure: 'Node CPU per extra viewer', value: `${fixed(perExtraViewer, 2)} % of a core`, target: '≤ 0.3 % (motion)', met: perExtraViewer <= 0.3 });
    const shareOfFfmpeg = (result: { nodeCpu: number; ffmpegCpu: number }) => Math.max(0, result.nodeCpu - idleCpu) / Math.max(result.ffmpegCpu, 0.1);
    const nodeShare = shareOfFfmpeg(one);
    rows.push({ run: '2 cost of a camera', measure: `Node CPU over idle, as share of ffmpeg's (1 viewer)`, value: `${fixed(nodeShare * 100)} %`, target: '< 10 %', met: nodeShare < 0.1 });
    rows.push({ run: '', measure: `the same, a fresh server's first stream (${WARM_UP_MS / 1000}–${(WARM_UP_MS + WINDOW_MS) / 1000} s)`, value: `${fixed(shareOfFfmpeg(cold) * 100)} % (${fixed(cold.nodeCpu)} % / ${fixed(cold.ffmpegCpu)} %)` });
    rows.push({ run: '', measure: `Node CPU while warming, first → last ${WARMING_STEP_MS / 1000} s`, value: `${fixed(one.warmingCpu[0]!, 2)} → ${fixed(one.warmingCpu.at(-1)!, 2)} %` });
  }

  if (RUNS.has('3')) {
    // 3. 16 cameras × 8 viewers, 640×360@10.
    const wall = await measure(server, Array.from({ length: 16 * 8 }, (_, index) => stream(`sd-${(index % 16) + 1}`)));
    const wallFps = minFps(wall.summaries);
    rows.push({ run: '3 16 cameras × 8 viewers (640×360@10)', measure: 'slowest viewer fps', value: fixed(wallFps, 2), target: `≥ ${fixed(SD.fps * 0.95, 2)}`, met: wallFps >= SD.fps * 0.95 });
    rows.push({ run: '', measure: 'Node CPU / ffmpeg CPU (16)', value: `${fixed(wall.nodeCpu)} % / ${fixed(wall.ffmpegCpu)} %` });
  }

  if (RUNS.has('4')) {
    // 4. 4 normal viewers and two slow ones taking 1 frame/s. One is a phone on a slow link: a link
    // that carries one frame a second (shaped loopback, 100 packets of queue as a Wi-Fi access point
    // has), bytes read as they come, so that any backlog builds up at the server and in the link's
    // queue, where camdash's pacing keeps it out. The other reads a frame, then nothing for a second,
    // with Linux's autotuned receive buffer: it queues frames on its own side, which no server can
    // take back.
    const frameBytes = (await (await fetch(`${server.url}/api/cameras/hd/snapshot`)).arrayBuffer()).byteLength;
    const linkPort = 45_000;
    const unshape = inOwnNetwork() ? shapeLoopbackPort(linkPort, frameBytes) : undefined;
    let slowRun: Awaited<ReturnType<typeof measure>>;
    try {
      slowRun = await measure(server, Array.from({ length: 4 }, () => stream('hd')), [
        { url: stream('hd'), options: { readFps: 1 } },
        ...(unshape ? [{ url: stream('hd'), options: { localPort: linkPort } }] : []),
      ]);
    } finally {
      unshape?.();
    }
    const [ownBuffer, linkLimited] = slowRun.slowSummaries as [ViewerSummary, ViewerSummary | undefined];
    const interval = 1000 / HD.fps;
    if (linkLimited) {
      // Its first bytes come one packet's crossing after the frame went onto the link.
      const packetMs = (SEGMENT_DATA_BYTES / frameBytes) * 1000;
      const waits = waitsBeforeFirstByte(slowRun.slowViewers[1]!.arrivals, slowRun.window).map((wait) => wait - packetMs);
      const worst = Math.max(...waits);
      rows.push({ run: '4 4 viewers + 2 taking 1 frame/s', measure: `slow link (${fixed(frameBytes / 1024, 0)} KB/s): behind live, median / max`, value: `${fixed(linkLimited.behindMsMedian, 0)} / ${fixed(linkLimited.behindMsMax, 0)} ms` });
      rows.push({ run: '', measure: 'slow link: capture → onto the link, max', value: `${fixed(worst, 0)} ms (${waits.length} frames)`, target: `≤ ${fixed(interval, 0)} ms (a frame interval)`, met: worst <= interval });
    } else {
      rows.push({ run: '4 4 viewers + 2 taking 1 frame/s', measure: 'slow link', value: 'not run: needs its own network namespace (root)', target: 'a frame + its transfer', met: false });
    }
    rows.push({ run: '', measure: 'pausing reader, own buffers: behind live, median / max', value: `${fixed(ownBuffer.behindMsMedian, 0)} / ${fixed(ownBuffer.behindMsMax, 0)} ms` });
    rows.push({ run: '', measure: 'normal viewers: slowest fps', value: fixed(minFps(slowRun.summaries), 2), target: `≥ ${fixed(HD.fps * 0.95, 2)}`, met: minFps(slowRun.summaries) >= HD.fps * 0.95 });
    rows.push({ run: '', measure: 'normal viewers behind live: median', value: `${fixed(percentile(slowRun.summaries.map((s) => s.behindMsMedian), 0.5), 0)} ms` });
    const slowGrowth = slowRun.after.nodeRssBytes - slowRun.before.nodeRssBytes;
    rows.push({ run: '', measure: 'server RSS over the window', value: `${mb(slowRun.before.nodeRssBytes)} → ${mb(slowRun.after.nodeRssBytes)}`, target: 'no growth (< 8 MB)', met: slowGrowth < 8 * 2 ** 20 });
  }

  if (RUNS.has('5')) {
    // 5. A viewer joining a camera that already runs.
    const keeper = open(stream('hd'));
    await waitFor(() => keeper.arrivals.length > 3, { timeoutMs: 20_000, message: 'the camera to run' });
    const joins: number[] = [];
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const joiner = open(stream('hd'));
      await waitFor(() => joiner.arrivals.length > 0, { timeoutMs: 5_000, message: 'a frame for the joining viewer' });
      joins.push(joiner.arrivals[0]!.arrivedAt - joiner.openedAt);
      await closeAll([joiner]);
    }
    await closeAll([keeper]);
    rows.push({ run: '5 joining a running camera (20 times)', measure: 'time to first frame: median / max', value: `${percentile(joins, 0.5)} / ${Math.max(...joins)} ms`, target: '≤ 100 ms', met: Math.max(...joins) <= 100 });
  }

  if (RUNS.has('6')) {
    // 6. Viewers coming and going; memory and processes at the end.
    await waitFor(() => sampleTree(server.pid).ffmpegCount === 0, { timeoutMs: 30_000, message: 'cameras to stop before the churn' });
    const startMemory = sampleTree(server.pid).nodeRssBytes;
    const churnStarted = Date.now();
    const churnUntil = churnStarted + CHURN_MS;
    // The heap grows to its working size in the first minute of streaming and stays there; what
    // tells a leak is growth after that. The first sample is the baseline, each minute is printed.
    const warmAfterMs = Math.min(60_000, CHURN_MS / 2);
    let warmMemory: number | undefined;
    let nextReport = churnStarted + warmAfterMs;
    const ids = ['hd', 'pattern', 'sd-1', 'sd-2', 'sd-3'];
    let sessions = 0;
    while (Date.now() < churnUntil) {
      if (Date.now() >= nextReport) {
        const rss = sampleTree(server.pid).nodeRssBytes;
        warmMemory ??= rss;
        console.error(`churn: ${fixed((Date.now() - churnStarted) / 60_000)} min, ${sessions} sessions, server RSS ${mb(rss)}`);
        nextReport += 60_000;
      }
      const batch = Array.from({ length: 10 }, (_, index) => open(stream(ids[(sessions + index) % ids.length]!)));
      sessions += batch.length;
      await sleep(300 + Math.random() * 700);
      await closeAll(batch);
    }
    await waitFor(() => sampleTree(server.pid).ffmpegCount === 0, { timeoutMs: 30_000, message: 'every ffmpeg to stop after the churn' });
    await sleep(2_000);
    const end: TreeSample = sampleTree(server.pid);
    rows.push({ run: `6 churn, ${fixed(CHURN_MS / 60_000)} min, ${sessions} viewer sessions`, measure: 'ffmpeg left after the grace period', value: String(end.ffmpegCount), target: '0', met: end.ffmpegCount === 0 });
    const warm = warmMemory ?? startMemory;
    const growth = end.nodeRssBytes - warm;
    rows.push({ run: '', measure: `server RSS: start → after ${fixed(warmAfterMs / 60_000)} min → end`, value: `${mb(startMemory)} → ${mb(warm)} → ${mb(end.nodeRssBytes)}`, target: 'end within 8 MB of warm', met: Math.abs(growth) < 8 * 2 ** 20 });
  }

  if (RUNS.has('7')) {
    // 7. Delay from the camera to the viewer: the test camera stamps its clock into each picture
    // before encoding it, and the stamps are read back from the JPEGs viewers get. ffmpeg alone,
    // with camdash's arguments (its chain now, and the single ffmpeg it ran before), shows how
    // much of it is ffmpeg's.
    const camdash = await stampedDelays(() => {
      const viewer = open(stream('clock'), { keepJpegs: true });
      return { frames: () => viewer.arrivals.map((arrival, index) => ({ arrivedAt: arrival.arrivedAt, jpeg: viewer.jpegs[index]!, leftTranscoderAt: arrival.capturedAt })), stop: () => closeAll([viewer]) };
    });
    const throughCamdash = camdash.delays;
    const chainOnly = (await stampedDelays(() => ffmpegFrames(clock.url(), 'chain'))).delays;
    const ffmpegOnly = (await stampedDelays(() => ffmpegFrames(clock.url(), 'single'))).delays;
    const ffmpegBuffering = (await stampedDelays(() => ffmpegFrames(clock.url(), 'single', { defaultInputOptions: true }))).delays;
    const p95 = (values: number[]) => percentile(values, 0.95);
    rows.push({ run: '7 camera → viewer delay, RTSP 1280×720@15', measure: 'through camdash: median / p95 / max', value: `${percentile(throughCamdash, 0.5)} / ${p95(throughCamdash)} / ${Math.max(...throughCamdash)} ms`, target: '≤ 300 ms (p95)', met: p95(throughCamdash) <= 300 });
    rows.push({ run: '', measure: "through camdash, to the JPEG's leaving its transcoder", value: `${percentile(camdash.atServer, 0.5)} / ${p95(camdash.atServer)} ms` });
    rows.push({ run: '', measure: 'ffmpeg alone, chain (copy → transcoder): median / p95', value: `${percentile(chainOnly, 0.5)} / ${p95(chainOnly)} ms` });
    rows.push({ run: '', measure: 'old single ffmpeg, its arguments: median / p95', value: `${percentile(ffmpegOnly, 0.5)} / ${p95(ffmpegOnly)} ms` });
    rows.push({ run: '', measure: 'old single ffmpeg, default buffering: median / p95', value: `${percentile(ffmpegBuffering, 0.5)} / ${p95(ffmpegBuffering)} ms` });
  }

  // 8–11. The camera's own H.264, copied: what it costs, what it sends, and what Chromium shows.
  const video: VideoRunContext = { server, rows, idleCpu, quick: QUICK, fps: HD.fps, warmUpMs: WARM_UP_MS, windowMs: WINDOW_MS, serverWarmMs: SERVER_WARM_MS, warmingStepMs: WARMING_STEP_MS };
  if (RUNS.has('8')) await runVideoCpu(video, 'hd');
  if (RUNS.has('9')) await runVideoBytes(video, [{ id: 'hd', label: 'hd' }, { id: 'clock', label: 'clock' }]);
  if (RUNS.has('10')) await runScreenDelay(video, 'clock', clock.url());
  if (RUNS.has('11')) await runVideoJoin(video, 'gop4');

  print(Date.now() - benchStarted);
}

function print(elapsedMs: number): void {
  console.log(`\ncamdash serving benchmark — ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load at start ${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0]!.toFixed(2)}`);
  for (const line of tableLines(rows)) console.log(line);
  console.log(`\nwhole run: ${fixed(elapsedMs / 60_000)} min`);
}

async function cleanUp(): Promise<void> {
  await stopVideoResources();
  await closeAll([...started.viewers]);
  await started.server?.stop().catch(() => {});
  await Promise.all(started.rtsp.map((server) => server.stop().catch(() => {})));
}

// The slow link of run 4 is shaped loopback in a network namespace of the benchmark's own, so the
// whole benchmark runs there (its loopback with an Ethernet MTU) where it can.
if (!inOwnNetwork()) {
  const rerun = rerunInOwnNetwork(jitiCommand(__filename));
  if ('status' in rerun) process.exit(rerun.status);
  console.error(`benchmark: on the machine's own loopback, without run 4's slow link (${rerun.missing})`);
} else {
  setUpLoopback();
}

const deadline = setTimeout(() => {
  console.error(`benchmark: over ${DEADLINE_MS / 60_000} min, stopping`);
  void cleanUp().finally(() => process.exit(1));
}, DEADLINE_MS);
bench()
  .catch((error: Error) => {
    console.error(`benchmark failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    clearTimeout(deadline);
    await cleanUp();
  });
