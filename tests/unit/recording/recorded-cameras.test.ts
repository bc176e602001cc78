import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import { CaptureRegistry } from '@/lib/capture/registry';
import { publicCamera } from '@/lib/cameras/public-camera';
import { cameraSchema } from '@/lib/config/schema';
import type { RecorderDeps } from '@/lib/recording/recorder';
import { fakeSpawner } from '../../helpers/fake-ffmpeg';

// Read by an ffmpeg (faked here), so that the connection shows as a child.
const camera = (fields: Record<string, unknown>) => cameraSchema.safeParse({ id: 'door', name: 'Door', source: 'rtsp://admin:hunter2@10.0.0.2/main', rtspClient: 'ffmpeg', ...fields });
const problems = (fields: Record<string, unknown>) => {
  const result = camera(fields);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the record entry of cameras.json', () => {
  it('keeps a week unless told otherwise, and nothing means not recorded', () => {
    expect(camera({ record: { mode: 'continuous' } }).data?.record).toEqual({ mode: 'continuous', days: 7 });
    expect(camera({ record: { mode: 'off', days: 30 } }).data?.record).toEqual({ mode: 'off', days: 30 });
    expect(camera({}).data?.record).toBeUndefined();
  });

  it('names the path of each mistake', () => {
    expect(problems({ record: { mode: 'always' } })).toEqual(['record.mode: must be "continuous", "motion" or "off"']);
    expect(problems({ record: { mode: 'continuous', days: 0 } })).toEqual(['record.days: must be more than 0 days']);
    expect(problems({ record: { mode: 'continuous', keep: 3 } })).toEqual(['record: has no field "keep" (it takes "mode" and "days")']);
    expect(problems({ record: { mode: 'motion' } })).toEqual([
      'record.mode: "motion" keeps the footage around motion events: turn "motion" on for this camera, or record "continuous"',
    ]);
    expect(problems({ record: { mode: 'motion' }, motion: true })).toEqual([]);
  });
});

const recording: RecorderDeps = {
  index: { begin: () => 1, extend: () => {}, finish: () => {} },
  disk: { pausedReason: () => undefined, writeFailed: () => {} },
  dir: '/nonexistent/recordings',
  segmentSeconds: 60,
  log: () => {},
};

function setup(deps: RecorderDeps | undefined) {
  const fake = fakeSpawner();
  const registry = new CaptureRegistry({ spawn: fake.spawn, ffmpegPath: '/usr/bin/ffmpeg', timing: DEFAULT_TIMING, log: () => {} }, undefined, deps);
  return { registry, children: fake.children };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('recorded cameras in the registry', () => {
  it('connects a recorded camera with nobody watching, and lets it go when recording is turned off', async () => {
    const { registry, children } = setup(recording);
    const recorded = camera({ record: { mode: 'continuous' } }).data!;
    registry.setCameras([recorded]);
    expect(children).toHaveLength(1);
    expect(children[0]!.args).toContain('copy');
    expect(registry.recordingStatus('door')).toMatchObject({ mode: 'continuous', active: false, reason: 'waiting for the camera' });

    registry.setCameras([camera({ record: { mode: 'off' } }).data!]);
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMING.killAfterMs + DEFAULT_TIMING.graceMs + 1_000);
    expect(children[0]!.exited).toBe(true);
    expect(children).toHaveLength(1);
    expect(registry.recordingStatus('door')).toBeUndefined();
    await registry.shutdown();
  });

  it('says why a camera that asks to record is not: a source with no video of its own, or no index', async () => {
    const pattern = cameraSchema.parse({ id: 'pattern', name: 'Pattern', source: 'test', record: { mode: 'continuous' } });
    const withIndex = setup(recording);
    withIndex.registry.setCameras([pattern]);
    expect(withIndex.children).toHaveLength(0);
    expect(withIndex.registry.recordingStatus('pattern')?.reason).toMatch(/no H\.264\/H\.265 of its own/);
    await withIndex.registry.shutdown();

    const withoutIndex = setup(undefined);
    const recorded = camera({ record: { mode: 'continuous' } }).data!;
    withoutIndex.registry.setCameras([recorded]);
    const status = withoutIndex.registry.recordingStatus('door');
    expect(status?.reason).toMatch(/not available on this server/);
    // What the API and the pages show, without the source's password.
    const shown = publicCamera(recorded, withoutIndex.registry.snapshot('door'), Date.now(), undefined, status);
    expect(shown.recording).toMatchObject({ mode: 'continuous', active: false });
    expect(JSON.stringify(shown)).not.toContain('hunter2');
    expect(publicCamera(camera({}).data!, undefined, Date.now()).recording).toBeNull();
    await withoutIndex.registry.shutdown();
  });
});
