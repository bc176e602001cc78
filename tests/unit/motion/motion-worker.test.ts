import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { MotionWorker } from '@/lib/motion/motion-worker';
import { startMotionThread } from '@/lib/motion/start-motion-thread';
import type { FrameVerdict, MotionSettings } from '@/lib/motion/types';
import { at, Scene, walker } from './synthetic-frames';

const settings: MotionSettings = { sensitivity: 'medium', masks: [], zones: [], endAfterSeconds: 10 };

/** A MotionWorker whose verdicts are collected, with a promise for "the n-th verdict has come". */
function collecting(options: Partial<ConstructorParameters<typeof MotionWorker>[0]> = {}) {
  const verdicts: { cameraId: string; verdict: FrameVerdict }[] = [];
  const errors: Error[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let errorCame: () => void = () => {};
  const firstError = new Promise<void>((resolve) => (errorCame = resolve));
  const worker = new MotionWorker({
    onVerdict: (cameraId, verdict) => {
      verdicts.push({ cameraId, verdict });
      for (const w of waiters.filter((w) => verdicts.length >= w.count)) w.resolve();
    },
    onError: (error) => {
      errors.push(error);
      errorCame();
    },
    ...options,
  });
  const until = (count: number) => (verdicts.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })));
  return { worker, verdicts, errors, until, firstError };
}

let open: MotionWorker[] = [];
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()));
  open = [];
});

describe('MotionWorker', () => {
  it('judges each camera\'s frames in a worker thread, in order, and times the detector', async () => {
    const { worker, verdicts, until } = collecting({ maxInFlight: 64 });
    open.push(worker);
    worker.configure('door', settings);
    worker.configure('yard', settings);
    const scene = new Scene();
    for (let i = 0; i < 30; i++) {
      expect(worker.frame('door', scene.frame({ blocks: i >= 10 ? [walker(i - 10, { x0: 40 })] : [] }), at(i))).toBe(true);
      expect(worker.frame('yard', scene.frame(), at(i))).toBe(true);
    }
    await until(60);
    const door = verdicts.filter((v) => v.cameraId === 'door').map((v) => v.verdict);
    const yard = verdicts.filter((v) => v.cameraId === 'yard').map((v) => v.verdict);
    expect(door.map((v) => v.at)).toEqual(Array.from({ length: 30 }, (_, i) => at(i)));
    expect(door.slice(0, 10).some((v) => v.motion)).toBe(false);
    expect(door.slice(12).every((v) => v.motion)).toBe(true);
    expect(door[20]!.cells).toBeInstanceOf(Uint8Array);
    expect(yard.some((v) => v.motion)).toBe(false);
    const timing = worker.timing('door')!;
    expect(timing.frames).toBe(30);
    expect(timing.dropped).toBe(0);
    expect(timing.meanMs).toBeGreaterThan(0);
    expect(timing.maxMs).toBeGreaterThanOrEqual(timing.p99Ms);
    expect(timing.totalMs).toBeCloseTo(timing.meanMs * 30, 5);
  });

  it('drops frames beyond maxInFlight instead of queueing them, and counts them', async () => {
    const { worker, verdicts, until } = collecting({ maxInFlight: 2 });
    open.push(worker);
    worker.configure('door', settings);
    const frame = new Scene().frame();
    const accepted = Array.from({ length: 10 }, (_, i) => worker.frame('door', frame, at(i)));
    expect(accepted).toEqual([true, true, false, false, false, false, false, false, false, false]);
    await until(2);
    expect(worker.timing('door')!.dropped).toBe(8);
    expect(worker.frame('door', frame, at(10))).toBe(true);
    await until(3);
    expect(verdicts.map((v) => v.verdict.at)).toEqual([at(0), at(1), at(10)]);
  });

  it('takes no frames for a camera it was not given or that was removed, and drops verdicts from before a reconfiguration', async () => {
    const { worker, verdicts, until } = collecting({ maxInFlight: 8 });
    open.push(worker);
    const frame = new Scene().frame();
    expect(worker.frame('door', frame, 0)).toBe(false);
    worker.configure('door', settings);
    worker.frame('door', frame, 1);
    worker.configure('door', { ...settings, sensitivity: 'high' });
    worker.frame('door', frame, 2);
    await until(1);
    worker.configure('yard', settings);
    worker.frame('yard', frame, 3);
    await until(2);
    expect(verdicts.map((v) => v.verdict.at)).toEqual([2, 3]);
    worker.remove('door');
    expect(worker.frame('door', frame, 4)).toBe(false);
    expect(worker.timing('door')).toBeUndefined();
  });

  it('restarts a thread that dies, configures its cameras again, and goes on judging', async () => {
    let starts = 0;
    const { worker, errors, until, firstError } = collecting({
      startThread: () => (++starts === 1 ? new Worker('throw new Error("boom")', { eval: true }) : startMotionThread()),
    });
    open.push(worker);
    worker.configure('door', settings);
    const frame = new Scene().frame();
    worker.frame('door', frame, 0);
    await firstError;
    expect(errors[0]!.message).toMatch(/boom/);
    expect(worker.frame('door', frame, 1)).toBe(true);
    await until(1);
    expect(starts).toBe(2);
  });

  it('stops taking frames once closed', async () => {
    const { worker } = collecting();
    worker.configure('door', settings);
    await worker.close();
    expect(worker.frame('door', new Scene().frame(), 0)).toBe(false);
    expect(() => worker.configure('door', settings)).toThrow(/closed/);
  });
});

