/**
 * npm run bench:recording — what recording costs and how playback answers (issue 19), against
 * camdash in production mode and a real GStreamer RTSP camera at 1280×720@15 that stamps its clock
 * into every picture, with Debian's Chromium as the viewer. Prints one table:
 *   1. the server's CPU (Node and its ffmpegs) with the camera recorded against only watched live,
 *      in alternating windows (recording-cpu.ts), and the bytes it writes per hour and day;
 *   2. from a click on the playback page's timeline to the picture of that moment, on the footage
 *      run 1 recorded (recording-clicks.ts);
 *   3. the segment index's query for the timeline at 16 cameras × 30 days (recording-index-queries.ts).
 * BENCH_QUICK=1 shortens every window (a smoke run). Loopback only, bounded in time, stops
 * everything it started, on errors too.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNextServer, type NextServer } from '../../tests/helpers/next-server';
import { startRtspServer, type RtspServer } from '../../tests/helpers/rtsp-server';
import { runTimelineClicks } from './recording-clicks';
import { recordingCpuRunMs, runRecordingCpu, writeCameras, type BenchCamera } from './recording-cpu';
import { INDEX_CAMERAS, INDEX_DAYS, INDEX_LIMIT_MS, measureIndexQueries } from './recording-index-queries';
import { fixed, tableLines, type Row } from './table';
import { closeBrowser, openBrowser, stopVideoResources } from './video-resources';

const QUICK = process.env.BENCH_QUICK === '1';
const HD = { width: 1280, height: 720, fps: 15 };
const CLICKS = 10;
const DEADLINE_MS = recordingCpuRunMs(QUICK) + 8 * 60_000;

const rows: Row[] = [];
const started: { rtsp?: RtspServer; server?: NextServer; directory?: string } = {};
const loadAtStart = os.loadavg();

async function bench(): Promise<void> {
  const benchStarted = Date.now();
  const rtsp = await startRtspServer({ ...HD, clockStamp: true });
  started.rtsp = rtsp;
  // On the machine's disk (not a tmpfs): the recorder's writes and syncs cost what they cost there.
  const directory = mkdtempSync(path.join(os.tmpdir(), 'camdash-bench-recording-'));
  started.directory = directory;
  const [dataDir, recordingsDir] = [path.join(directory, 'data'), path.join(directory, 'recordings')];
  mkdirSync(dataDir);
  const camerasFile = path.join(directory, 'cameras.json');
  const camera: BenchCamera = { id: 'yard', name: 'Yard', source: rtsp.url() };
  writeCameras(camerasFile, camera, true);
  // The default segment length (60 s), as users have it.
  const server = await startNextServer({ camerasFile, graceMs: 2_000, env: { CAMDASH_DATA_DIR: dataDir, CAMDASH_RECORDINGS_DIR: recordingsDir } });
  started.server = server;

  const browser = await openBrowser();
  try {
    const page = await browser.context.newPage();
    await runRecordingCpu({ server, camerasFile, camera, page, rows, fps: HD.fps, quick: QUICK });
    await page.close();
    await runTimelineClicks({ server, browser, cameraId: camera.id, rows, clicks: CLICKS });
  } finally {
    await closeBrowser(browser);
  }
  await server.stop();
  started.server = undefined;
  await rtsp.stop();
  started.rtsp = undefined;

  // 3. Alone on the machine's disk once the server is gone: it fills an index of 691,200 rows first.
  const index = measureIndexQueries();
  const spans = index.results[0]!;
  rows.push({ run: `3 index: ${INDEX_CAMERAS.length} cameras × ${INDEX_DAYS} days`, measure: "one camera's spans over 24 h: first / median / max", value: `${fixed(spans.first, 2)} / ${fixed(spans.median, 2)} / ${fixed(spans.max, 2)} ms`, target: `≤ ${INDEX_LIMIT_MS} ms`, met: index.spansWorstMs <= INDEX_LIMIT_MS });
  rows.push({ run: `(${index.rows} segments of 60 s)`, measure: 'spans over 31 days; segments over 1 h: max', value: `${fixed(index.results[1]!.max, 1)}; ${fixed(index.results[2]!.max, 2)} ms` });

  print(Date.now() - benchStarted);
}

function print(elapsedMs: number): void {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  console.log(`\ncamdash recording benchmark${QUICK ? ' (BENCH_QUICK=1)' : ''} — ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load (1/5/15 min) at start ${load(loadAtStart)}, at end ${load(os.loadavg())}`);
  for (const line of tableLines(rows, [40, 50, 40, 20])) console.log(line);
  console.log(`\nwhole run: ${fixed(elapsedMs / 60_000)} min`);
}

async function cleanUp(): Promise<void> {
  await stopVideoResources();
  await started.server?.stop().catch(() => {});
  await started.rtsp?.stop().catch(() => {});
  if (started.directory) rmSync(started.directory, { recursive: true, force: true });
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
