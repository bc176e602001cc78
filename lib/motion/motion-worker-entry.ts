/**
 * The motion worker thread: one MotionDetector per camera, a verdict back for every frame, with
 * the time the detector took. Only wiring: the algorithm is in detector.ts.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { MotionDetector } from './detector';
import type { FromWorker, ToWorker } from './motion-protocol';

const port = parentPort;
if (!port) throw new Error('motion: motion-worker-entry runs only as a worker thread');

const detectors = new Map<string, { generation: number; detector: MotionDetector }>();

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'configure':
      detectors.set(message.cameraId, { generation: message.generation, detector: new MotionDetector({ width: message.width, height: message.height }, message.settings) });
      return;
    case 'remove':
      detectors.delete(message.cameraId);
      return;
    case 'frame': {
      const { cameraId, generation } = message;
      const entry = detectors.get(cameraId);
      if (!entry || entry.generation !== generation) {
        reply({ type: 'failed', cameraId, generation, message: 'not configured' });
        return;
      }
      try {
        const started = performance.now();
        const verdict = entry.detector.detect(message.grey, message.at);
        const ms = performance.now() - started;
        reply({ type: 'verdict', cameraId, generation, verdict, ms }, verdict.cells ? [verdict.cells.buffer as ArrayBuffer] : []);
      } catch (error) {
        reply({ type: 'failed', cameraId, generation, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
});

function reply(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}
