import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';

// The test camera itself (tests/fixtures/rtsp-server.py), as ffprobe sees it: other tests rely on
// its keyframe interval and codec being what they asked for.
const FFPROBE = 'ffprobe';
const PROBE_TIMEOUT_MS = 15_000;

const servers: RtspServer[] = [];
const probes = new Set<ChildProcess>();

afterEach(async () => {
  for (const probe of probes) probe.kill('SIGKILL');
  probes.clear();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function camera(options: Parameters<typeof startRtspServer>[0]): Promise<RtspServer> {
  const server = await startRtspServer(options);
  servers.push(server);
  return server;
}

/** Runs ffprobe (JSON out) against the camera, killed after `timeoutMs`; rejects with its stderr. */
function ffprobe(url: string, args: string[], timeoutMs = PROBE_TIMEOUT_MS): Promise<Record<string, unknown>> {
  const argv = ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v:0', ...args, '-of', 'json', url];
  return new Promise((resolve, reject) => {
    const child = spawn(FFPROBE, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    probes.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      probes.delete(child);
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    };
    child.once('error', (error) => settle(new Error(`${FFPROBE} could not be run (apt-get install ffmpeg): ${error.message}`)));
    child.once('close', (code, signal) =>
      code === 0
        ? settle()
        : settle(new Error(`ffprobe ${signal ? `was killed (${signal}), ${timeoutMs} ms limit` : `exited with code ${code}`}: ${stderr.trim()}`)),
    );
  });
}

type Frame = { key_frame: number; pict_type: string; pts_time?: string };

describe('the test RTSP camera', () => {
  it('with { fps: 15, gopFrames: 60 } sends a keyframe exactly every 60 frames (4 s)', async () => {
    const server = await camera({ fps: 15, gopFrames: 60 });
    // 130 frames (under 9 s) always hold at least two keyframes, wherever the stream starts.
    const { frames } = (await ffprobe(server.url(), ['-show_entries', 'frame=key_frame,pict_type,pts_time', '-read_intervals', '%+#130'])) as {
      frames: Frame[];
    };
    expect(frames.length).toBeGreaterThanOrEqual(125);
    const keys = frames.flatMap((frame, index) => (frame.key_frame === 1 ? [index] : []));
    expect(keys.length, `keyframes at ${keys.join(', ')}`).toBeGreaterThanOrEqual(2);
    for (const index of keys) expect(frames[index]!.pict_type).toBe('I');
    // Frames between one keyframe and the next: exactly 60, no extra (scene-cut) keyframes.
    const gaps = keys.slice(1).map((key, i) => key - keys[i]!);
    expect(gaps.every((gap) => gap === 60), `gaps ${gaps.join(', ')}`).toBe(true);
    // And 4 s apart in time (the first frame may carry no pts).
    for (let i = 1; i < keys.length; i += 1) {
      const [from, to] = [frames[keys[i - 1]!]!.pts_time, frames[keys[i]!]!.pts_time];
      if (from === undefined || to === undefined) continue;
      expect(Number(to) - Number(from)).toBeCloseTo(4, 1);
    }
  });

  it("with { codec: 'h265' } sends HEVC at the configured size, which decodes", async () => {
    const server = await camera({ codec: 'h265' });
    const { streams, frames } = (await ffprobe(server.url(), [
      '-show_entries',
      'stream=codec_name,width,height:frame=key_frame,pict_type,width,height',
      '-read_intervals',
      '%+#12',
    ])) as { streams: { codec_name: string; width: number; height: number }[]; frames: (Frame & { width: number; height: number })[] };
    expect(streams).toEqual([{ codec_name: 'hevc', width: 640, height: 360 }]);
    expect(frames.length).toBeGreaterThanOrEqual(10);
    for (const frame of frames) expect([frame.width, frame.height]).toEqual([640, 360]);
    // Default gop = fps (10): 12 frames hold a keyframe, an I picture.
    const keys = frames.filter((frame) => frame.key_frame === 1);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) expect(key.pict_type).toBe('I');
  });
});
