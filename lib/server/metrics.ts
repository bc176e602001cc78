import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { getCamdash } from './camdash';
import { procStats } from './proc-stats';

/**
 * GET /api/metrics, for Prometheus. Values are read from the captures when scraped: the hot paths
 * (a frame in, a frame out) only bump plain numbers, and nothing here runs unless somebody scrapes.
 */

const METRICS_KEY = Symbol.for('camdash.metrics');
type GlobalWithMetrics = typeof globalThis & { [METRICS_KEY]?: Registry };

export function metricsRegistry(): Registry {
  const holder = globalThis as GlobalWithMetrics;
  holder[METRICS_KEY] ??= createRegistry();
  return holder[METRICS_KEY];
}

type CameraValue = (snapshot: NonNullable<ReturnType<Awaited<ReturnType<typeof getCamdash>>['registry']['snapshot']>>, now: number) => number | undefined;

function createRegistry(): Registry {
  const registry = new Registry();
  // Node's own CPU, memory, event loop lag and GC, as process_* and nodejs_*.
  collectDefaultMetrics({ register: registry, prefix: 'camdash_' });

  const perCamera = (Metric: typeof Counter | typeof Gauge, name: string, help: string, value: CameraValue) => {
    const metric: Counter | Gauge = new Metric({
      name,
      help,
      labelNames: ['camera'],
      registers: [registry],
      async collect() {
        const camdash = await getCamdash();
        const now = Date.now();
        metric.reset();
        for (const camera of camdash.config.cameras) {
          const snapshot = camdash.registry.snapshot(camera.id);
          const measured = snapshot && value(snapshot, now);
          if (measured !== undefined) setTo(metric, { camera: camera.id }, measured);
        }
      },
    });
  };

  // Counters are totals the captures keep: set from them at each scrape. A camera whose
  // configuration changes starts from 0 again, which Prometheus reads as a counter reset.
  perCamera(Counter, 'camdash_camera_frames_in_total', 'Frames received from the camera (ffmpeg).', (s) => s.framesIn);
  perCamera(Counter, 'camdash_camera_frames_out_total', 'Frames written to viewers, summed over viewers.', (s) => s.framesOut);
  perCamera(Counter, 'camdash_camera_bytes_out_total', 'Bytes of frames written to viewers.', (s) => s.bytesOut);
  perCamera(Counter, 'camdash_camera_dropped_frames_total', 'Frames a slow viewer skipped because a newer one replaced them.', (s) => s.droppedFrames);
  perCamera(Counter, 'camdash_camera_restarts_total', 'Restarts of the camera\'s ffmpeg after a failure.', (s) => s.restarts);
  perCamera(Gauge, 'camdash_camera_viewers', 'Viewers connected now.', (s) => s.viewers);
  perCamera(Gauge, 'camdash_camera_up', '1 while the camera delivers frames, else 0.', (s) => (s.state === 'live' ? 1 : 0));
  perCamera(Gauge, 'camdash_camera_fps', 'Frames per second received, over the last seconds.', (s) => s.fps);
  perCamera(Gauge, 'camdash_camera_last_frame_age_seconds', 'Age of the newest frame.', (s, now) =>
    s.lastFrameAt === undefined ? undefined : (now - s.lastFrameAt) / 1000,
  );

  const ffmpegStat = (Metric: typeof Counter | typeof Gauge, name: string, help: string, pick: (stats: { cpuSeconds: number; residentBytes: number }) => number) => {
    const metric: Counter | Gauge = new Metric({
      name,
      help,
      labelNames: ['camera'],
      registers: [registry],
      async collect() {
        const camdash = await getCamdash();
        metric.reset();
        const totals = new Map<string, number>();
        for (const { cameraId, pid } of camdash.registry.processes()) {
          const stats = await procStats(pid);
          if (stats) totals.set(cameraId, (totals.get(cameraId) ?? 0) + pick(stats));
        }
        for (const [camera, total] of totals) setTo(metric, { camera }, total);
      },
    });
  };
  ffmpegStat(Counter, 'camdash_ffmpeg_cpu_seconds_total', 'CPU time of the camera\'s running ffmpeg (since it started).', (stats) => stats.cpuSeconds);
  ffmpegStat(Gauge, 'camdash_ffmpeg_resident_memory_bytes', 'Resident memory of the camera\'s running ffmpeg.', (stats) => stats.residentBytes);
  return registry;
}

function setTo(metric: Counter | Gauge, labels: { camera: string }, value: number): void {
  if (metric instanceof Gauge) metric.set(labels, value);
  else metric.inc(labels, value); // just reset: inc from 0 sets it
}
