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

type Camdash = Awaited<ReturnType<typeof getCamdash>>;
type CaptureSnapshot = NonNullable<ReturnType<Camdash['registry']['snapshot']>>;
type ProcessStats = NonNullable<Awaited<ReturnType<typeof procStats>>>;

function createRegistry(): Registry {
  const registry = new Registry();
  // Node's own CPU, memory, event loop lag and GC, as process_* and nodejs_*.
  collectDefaultMetrics({ register: registry, prefix: 'camdash_' });

  /** A metric with a `camera` label, its values measured at each scrape. */
  const cameraMetric = (Metric: typeof Counter | typeof Gauge, name: string, help: string, measure: (camdash: Camdash) => Promise<Map<string, number>>) => {
    const metric: Counter | Gauge = new Metric({
      name,
      help,
      labelNames: ['camera'],
      registers: [registry],
      async collect() {
        const values = await measure(await getCamdash());
        metric.reset();
        for (const [camera, value] of values) setTo(metric, { camera }, value);
      },
    });
  };

  const fromCapture = (Metric: typeof Counter | typeof Gauge, name: string, help: string, value: (snapshot: CaptureSnapshot, now: number) => number | undefined) =>
    cameraMetric(Metric, name, help, async (camdash) => {
      const values = new Map<string, number>();
      for (const camera of camdash.config.cameras) {
        const snapshot = camdash.registry.snapshot(camera.id);
        const measured = snapshot && value(snapshot, Date.now());
        if (measured !== undefined) values.set(camera.id, measured);
      }
      return values;
    });

  // Counters are totals the captures keep: set from them at each scrape. A camera whose
  // configuration changes starts from 0 again, which Prometheus reads as a counter reset.
  fromCapture(Counter, 'camdash_camera_frames_in_total', 'Frames received from the camera (ffmpeg).', (s) => s.framesIn);
  fromCapture(Counter, 'camdash_camera_frames_out_total', 'Frames written to viewers, summed over viewers.', (s) => s.framesOut);
  fromCapture(Counter, 'camdash_camera_bytes_out_total', 'Bytes of frames written to viewers.', (s) => s.bytesOut);
  fromCapture(Counter, 'camdash_camera_dropped_frames_total', 'Frames a slow viewer skipped because a newer one replaced them.', (s) => s.droppedFrames);
  fromCapture(Counter, 'camdash_camera_restarts_total', "Restarts of the camera's ffmpeg after a failure.", (s) => s.restarts);
  fromCapture(Gauge, 'camdash_camera_viewers', 'Viewers connected now.', (s) => s.viewers);
  fromCapture(Gauge, 'camdash_camera_up', '1 while the camera delivers frames, else 0.', (s) => (s.state === 'live' ? 1 : 0));
  fromCapture(Gauge, 'camdash_camera_fps', 'Frames per second received, over the last seconds.', (s) => s.fps);
  fromCapture(Gauge, 'camdash_camera_last_frame_age_seconds', 'Age of the newest frame.', (s, now) =>
    s.lastFrameAt === undefined ? undefined : (now - s.lastFrameAt) / 1000,
  );

  // Per path: the camera's own video (copied to browsers' players) and the MJPEG made from it or
  // from the source. Set from the captures' totals at each scrape, as the counters above.
  const pathBytes = new Counter({
    name: 'camdash_camera_path_bytes_out_total',
    help: 'Bytes written to viewers, by path: h264 or h265 (the camera\'s own video, copied) or mjpeg (JPEG frames).',
    labelNames: ['camera', 'path'],
    registers: [registry],
    async collect() {
      const camdash = await getCamdash();
      pathBytes.reset();
      for (const camera of camdash.config.cameras) {
        const snapshot = camdash.registry.snapshot(camera.id);
        if (!snapshot) continue;
        pathBytes.inc({ camera: camera.id, path: 'mjpeg' }, snapshot.bytesOut);
        if (snapshot.video) pathBytes.inc({ camera: camera.id, path: codecFamily(snapshot.video.codec) }, snapshot.video.bytesOut);
      }
    },
  });
  fromCapture(Gauge, 'camdash_camera_video_viewers', "Browsers playing the camera's own video now.", (s) => s.video?.viewers);
  fromCapture(Gauge, 'camdash_camera_video_bits_per_second', "The camera's own video bitrate, over the last seconds.", (s) => s.video?.bitsPerSecond);

  const fromFfmpeg = (Metric: typeof Counter | typeof Gauge, name: string, help: string, pick: (stats: ProcessStats) => number) =>
    cameraMetric(Metric, name, help, async (camdash) => {
      const totals = new Map<string, number>();
      for (const { cameraId, pid } of camdash.registry.processes()) {
        const stats = await procStats(pid);
        if (stats) totals.set(cameraId, (totals.get(cameraId) ?? 0) + pick(stats));
      }
      return totals;
    });
  // Motion: cameras that have it on. The detector's time is totals (seconds and frames), so that
  // rate(seconds) / rate(frames) is its mean time per frame over any window.
  const fromMotion = (Metric: typeof Counter | typeof Gauge, name: string, help: string, value: (camdash: Camdash, cameraId: string) => number | undefined) =>
    cameraMetric(Metric, name, help, async (camdash) => {
      const values = new Map<string, number>();
      for (const camera of camdash.config.cameras) {
        if (!camera.motion) continue;
        const measured = value(camdash, camera.id);
        if (measured !== undefined) values.set(camera.id, measured);
      }
      return values;
    });
  fromMotion(Gauge, 'camdash_motion_active', '1 while a motion event goes on, else 0.', (camdash, id) => (camdash.registry.motionSnapshot(id)?.active ? 1 : 0));
  fromMotion(Counter, 'camdash_motion_events_total', 'Motion events started since the server started.', (camdash, id) => camdash.motion.recorder.eventsTotal.get(id) ?? 0);
  fromMotion(Counter, 'camdash_motion_frames_total', 'Frames the motion detector judged.', (camdash, id) => camdash.motion.detection.worker.timing(id)?.frames);
  fromMotion(Counter, 'camdash_motion_detect_seconds_total', "The motion detector's time on those frames (in its worker thread).", (camdash, id) => {
    const timing = camdash.motion.detection.worker.timing(id);
    return timing && timing.totalMs / 1000;
  });
  fromMotion(Gauge, 'camdash_motion_detect_seconds_max', "The motion detector's longest time on one of the camera's last 512 frames.", (camdash, id) => {
    const timing = camdash.motion.detection.worker.timing(id);
    return timing && timing.maxMs / 1000;
  });
  fromFfmpeg(Counter, 'camdash_ffmpeg_cpu_seconds_total', "CPU time of the camera's running ffmpeg (since it started).", (stats) => stats.cpuSeconds);
  fromFfmpeg(Gauge, 'camdash_ffmpeg_resident_memory_bytes', "Resident memory of the camera's running ffmpeg.", (stats) => stats.residentBytes);
  return registry;
}

function codecFamily(codec: string | undefined): string {
  if (codec?.startsWith('avc')) return 'h264';
  if (codec?.startsWith('hvc') || codec?.startsWith('hev')) return 'h265';
  return 'video';
}

function setTo(metric: Counter | Gauge, labels: { camera: string }, value: number): void {
  if (metric instanceof Gauge) metric.set(labels, value);
  else metric.inc(labels, value); // just reset: inc from 0 sets it
}
