import { fileLabel } from '../config/load';
import type { Camdash } from './camdash';

/** The server's state for monitoring: what config is in force, which ffmpeg, how many cameras do what. */
export function healthReport(camdash: Camdash) {
  const cameras = camdash.cameras();
  const { config } = camdash;
  const count = (status: string) => cameras.filter((camera) => camera.status === status).length;
  return {
    status: config.errors.length === 0 && camdash.ffmpeg.ok ? 'ok' : 'degraded',
    config: {
      file: fileLabel(config.file),
      valid: config.errors.length === 0,
      errors: config.errors,
      // With errors, the cameras running are those of the last good version, read at this time.
      loadedAt: config.loadedAt === undefined ? null : new Date(config.loadedAt).toISOString(),
    },
    ffmpeg: camdash.ffmpeg.ok
      ? { found: true, origin: camdash.ffmpeg.origin, version: camdash.ffmpeg.version }
      : { found: false, error: camdash.ffmpeg.message },
    cameras: {
      total: cameras.length,
      live: count('live'),
      starting: count('starting'),
      offline: count('offline'),
      idle: count('idle'),
      disabled: count('disabled'),
    },
    ffmpegProcesses: camdash.registry.runningPids().length,
    viewers: cameras.reduce((total, camera) => total + camera.viewers, 0),
    memory: { rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed },
  };
}
