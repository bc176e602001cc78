import type { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './motion-protocol';
import { startMotionThread } from './start-motion-thread';
import { MOTION_FRAME, type FrameVerdict, type MotionSettings } from './types';

export type MotionWorkerOptions = {
  /** Each frame's verdict, in the order the camera's frames were given, and the detector's time on it. */
  onVerdict: (cameraId: string, verdict: FrameVerdict, detectMs: number) => void;
  /** The thread failed (it is restarted), or a frame could not be judged. */
  onError?: (error: Error) => void;
  /** Frames of one camera in the worker at once; a frame beyond this is dropped, never queued. */
  maxInFlight?: number;
  startThread?: () => Worker;
};

/** The detector's cost for one camera: totals since configured, and over its last frames. */
export type DetectorTiming = {
  frames: number;
  /** Frames dropped because the worker had not finished the camera's previous ones. */
  dropped: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  p99Ms: number;
};

/** Frames kept for the recent mean, max and 99th percentile: about 100 s at 5 fps. */
const RECENT = 512;
/** Restarts allowed within a minute before the worker stays down (a thread that cannot even load). */
const MAX_RESTARTS_PER_MINUTE = 5;

type Camera = {
  generation: number;
  settings: MotionSettings;
  inFlight: number;
  frames: number;
  dropped: number;
  totalMs: number;
  recent: Float64Array;
};

/**
 * One worker thread for every camera of the process, so detection never runs on the thread that
 * serves viewers. A camera that sends frames faster than the worker judges them loses frames
 * rather than building a queue: motion on a stale frame is worth nothing.
 */
export class MotionWorker {
  private readonly cameras = new Map<string, Camera>();
  private readonly maxInFlight: number;
  private readonly startThread: () => Worker;
  private thread: Worker | null = null;
  private restarts: number[] = [];
  private closed = false;
  private generations = 0;

  constructor(private readonly options: MotionWorkerOptions) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.startThread = options.startThread ?? startMotionThread;
  }

  /** Starts (or restarts, with new settings and a fresh background) detection on a camera. */
  configure(cameraId: string, settings: MotionSettings): void {
    if (this.closed) throw new Error('motion: the worker is closed');
    const camera: Camera = { generation: ++this.generations, settings, inFlight: 0, frames: 0, dropped: 0, totalMs: 0, recent: new Float64Array(RECENT) };
    this.cameras.set(cameraId, camera);
    this.post({ type: 'configure', cameraId, generation: camera.generation, settings, ...MOTION_FRAME });
  }

  remove(cameraId: string): void {
    if (!this.cameras.delete(cameraId)) return;
    this.thread?.postMessage({ type: 'remove', cameraId } satisfies ToWorker);
    this.holdProcess();
  }

  /**
   * Hands a grey frame (MOTION_FRAME size) to the worker; its verdict comes to `onVerdict`.
   * Copied, so the caller may reuse its buffer. False when dropped: the camera is not configured,
   * the worker is down, or `maxInFlight` of its frames are still being judged.
   */
  frame(cameraId: string, grey: Uint8Array, at: number): boolean {
    const camera = this.cameras.get(cameraId);
    if (!camera || !this.thread) return false;
    if (camera.inFlight >= this.maxInFlight) {
      camera.dropped++;
      return false;
    }
    camera.inFlight++;
    const copy = new Uint8Array(grey);
    this.post({ type: 'frame', cameraId, generation: camera.generation, grey: copy, at }, [copy.buffer]);
    this.holdProcess();
    return true;
  }

  timing(cameraId: string): DetectorTiming | undefined {
    const camera = this.cameras.get(cameraId);
    if (!camera) return undefined;
    const recent = Array.from(camera.recent.subarray(0, Math.min(camera.frames, RECENT))).sort((a, b) => a - b);
    const sum = recent.reduce((s, ms) => s + ms, 0);
    return {
      frames: camera.frames,
      dropped: camera.dropped,
      totalMs: camera.totalMs,
      meanMs: recent.length ? sum / recent.length : 0,
      maxMs: recent.length ? recent[recent.length - 1]! : 0,
      p99Ms: recent.length ? recent[Math.min(recent.length - 1, Math.floor(recent.length * 0.99))]! : 0,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cameras.clear();
    const thread = this.thread;
    this.thread = null;
    if (thread) await thread.terminate();
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (!this.thread) this.thread = this.start();
    this.thread?.postMessage(message, transfer);
  }

  private start(): Worker | null {
    if (this.closed) return null;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) return null;
    this.restarts.push(now);
    const thread = this.startThread();
    thread.on('message', (message: FromWorker) => this.receive(message));
    thread.on('error', (error) => this.failed(thread, error));
    thread.on('exit', (code) => this.failed(thread, new Error(`motion: the worker thread exited with code ${code}`)));
    thread.unref();
    return thread;
  }

  private receive(message: FromWorker): void {
    const camera = this.cameras.get(message.cameraId);
    if (!camera || camera.generation !== message.generation) return;
    camera.inFlight--;
    this.holdProcess();
    if (message.type === 'failed') {
      this.options.onError?.(new Error(`motion: camera "${message.cameraId}": ${message.message}`));
      return;
    }
    camera.recent[camera.frames % RECENT] = message.ms;
    camera.frames++;
    camera.totalMs += message.ms;
    this.options.onVerdict(message.cameraId, message.verdict, message.ms);
  }

  /**
   * The thread died: its frames are lost, the cameras are configured again on a new one (within
   * MAX_RESTARTS_PER_MINUTE), their backgrounds learnt afresh.
   */
  private failed(thread: Worker, error: Error): void {
    if (this.thread !== thread || this.closed) return;
    this.thread = null;
    this.options.onError?.(error);
    const cameras = [...this.cameras];
    for (const [, camera] of cameras) camera.inFlight = 0;
    this.thread = this.start();
    if (!this.thread) {
      this.options.onError?.(new Error(`motion: the worker thread failed ${MAX_RESTARTS_PER_MINUTE} times within a minute; motion detection is off`));
      return;
    }
    for (const [cameraId, camera] of cameras) {
      this.post({ type: 'configure', cameraId, generation: camera.generation, settings: camera.settings, ...MOTION_FRAME });
    }
  }

  /**
   * The thread keeps the process alive only while it has frames to judge: a server that forgets
   * to close it still exits, and a script awaiting a verdict is not cut short.
   */
  private holdProcess(): void {
    let busy = false;
    for (const camera of this.cameras.values()) if (camera.inFlight > 0) busy = true;
    if (busy) this.thread?.ref();
    else this.thread?.unref();
  }
}
