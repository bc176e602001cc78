/**
 * What watching cameras for motion costs the server when nobody looks at them: 16 RTSP cameras of
 * 640×360 at 10 fps (as a camera's substream), motion on, no viewer; the server's whole tree (Node
 * with its detector thread, and each camera's two ffmpegs: the connection's copy and the motion
 * decoder) over several windows, after V8 has warmed up. Part of `npm run bench:motion`.
 *
 * The cameras show still colour bars with their animated corner masked: no event, the steady cost
 * of watching. An event costs more while it lasts (the camera's full picture is transcoded for the
 * event's snapshot); that is printed apart, for one camera where a ball keeps moving.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNextServer, type NextServer } from '../../tests/helpers/next-server';
import { startRtspServer, type RtspServer } from '../../tests/helpers/rtsp-server';
import { waitFor } from '../../tests/helpers/wait-for';
import { cpuPercent, sampleTree, serverCpuPercent } from './proc-tree';
import { fixed, sleep } from './table';

const QUICK = process.env.BENCH_QUICK === '1';
const CAMERAS = 16;
const WARM_UP_MS = QUICK ? 15_000 : 90_000;
const WINDOW_MS = QUICK ? 5_000 : 20_000;
const WINDOWS = 3;
const SNOW_MASK = [[0.7, 0.66], [1, 0.66], [1, 1], [0.7, 1]];

export type MotionCamerasFigures = { lines: string[] };

type Window = { total: number; node: number; ffmpeg: number; ffmpegs: number };

async function cpuWindow(server: NextServer): Promise<Window> {
  const before = sampleTree(server.pid);
  await sleep(WINDOW_MS);
  const after = sampleTree(server.pid);
  return { total: serverCpuPercent(before, after), node: cpuPercent(before, after, 'nodeTicks'), ffmpeg: cpuPercent(before, after, 'ffmpegTicks'), ffmpegs: Math.min(before.ffmpegCount, after.ffmpegCount) };
}

async function metric(server: NextServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/api/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function withServer<T>(cameras: unknown[], run: (server: NextServer) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'camdash-bench-motion-'));
  const camerasFile = path.join(directory, 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify({ cameras }));
  const server = await startNextServer({ camerasFile, env: { CAMDASH_DATA_DIR: path.join(directory, 'data') } });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchMotionCameras(): Promise<MotionCamerasFigures> {
  const lines: string[] = [];
  let still: RtspServer | undefined;
  let ball: RtspServer | undefined;
  try {
    // One encoder serves every session (the fixture's media is shared): the cameras cost the test
    // server one encode, and camdash sixteen connections.
    still = await startRtspServer({ width: 640, height: 360, fps: 10 });
    ball = await startRtspServer({ width: 640, height: 360, fps: 10, pattern: 'ball' });
    const cameras = Array.from({ length: CAMERAS }, (_, index) => ({ id: `cam-${index + 1}`, name: `Camera ${index + 1}`, source: still!.url(), motion: { masks: [SNOW_MASK] } }));
    await withServer(cameras, async (server) => {
      await waitFor(() => sampleTree(server.pid).ffmpegCount >= 2 * CAMERAS, { timeoutMs: 30_000, message: `${2 * CAMERAS} ffmpegs (a connection and a motion decoder per camera)` });
      await sleep(WARM_UP_MS);
      const framesBefore = await metric(server, 'camdash_motion_frames_total');
      const secondsBefore = await metric(server, 'camdash_motion_detect_seconds_total');
      const windows: Window[] = [];
      for (let index = 0; index < WINDOWS; index += 1) windows.push(await cpuWindow(server));
      const frames = (await metric(server, 'camdash_motion_frames_total')) - framesBefore;
      const seconds = (await metric(server, 'camdash_motion_detect_seconds_total')) - secondsBefore;
      const events = await metric(server, 'camdash_motion_events_total');
      const totals = windows.map((window) => window.total);
      const pick = (key: keyof Window) => fixed(median(windows.map((window) => window[key])), 1);
      lines.push(`${CAMERAS} cameras 640×360@10, motion on, no viewer: server CPU ${pick('total')} % of a core (median of ${WINDOWS} × ${WINDOW_MS / 1000} s; ${totals.map((total) => fixed(total, 1)).join(', ')}) — target ≤ 50 % ${median(totals) <= 50 ? 'met' : 'NOT met'}`);
      lines.push(`  of which Node (with the detector's thread) ${pick('node')} %, ffmpeg ${pick('ffmpeg')} % (${pick('ffmpegs')} processes); per camera ${fixed(median(totals) / CAMERAS, 2)} %`);
      lines.push(`  detector: ${frames} frames judged, ${fixed((1000 * seconds) / Math.max(1, frames), 3)} ms a frame on average; events ${events} (the still scene must give none)`);
    });
    await withServer([{ id: 'ball', name: 'Ball', source: ball.url(), motion: true }], async (server) => {
      await waitFor(async () => (await metric(server, 'camdash_motion_active')) === 1, { timeoutMs: 30_000, message: 'the ball camera to be in an event' });
      await sleep(WARM_UP_MS / 3);
      const during = await cpuWindow(server);
      lines.push(`1 camera during an event (its picture transcoded for the snapshot): ${fixed(during.total, 1)} % of a core (Node ${fixed(during.node, 1)}, ffmpeg ${fixed(during.ffmpeg, 1)} in ${during.ffmpegs})`);
    });
  } finally {
    await Promise.all([still?.stop(), ball?.stop()]);
  }
  return { lines };
}

if (process.argv[1]?.endsWith('motion-cameras.ts')) {
  const started = Date.now();
  console.log(`load before ${os.loadavg()[0]!.toFixed(2)}`);
  const { lines } = await benchMotionCameras();
  for (const line of lines) console.log(line);
  console.log(`load after ${os.loadavg()[0]!.toFixed(2)}; ${fixed((Date.now() - started) / 60_000, 1)} min`);
}
