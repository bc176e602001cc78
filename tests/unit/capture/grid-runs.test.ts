import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMING } from '@/lib/capture/capture';
import { CaptureRegistry } from '@/lib/capture/registry';
import { cameraSchema } from '@/lib/config/schema';
import { GRID_MAX_FPS } from '@/lib/ffmpeg/grid-options';
import { fakeSpawner } from '../../helpers/fake-ffmpeg';
import { JPEG_A, JPEG_B } from '../../helpers/jpeg-fixtures';

const timing = { ...DEFAULT_TIMING, graceMs: 5_000, stallMs: 3_600_000 };
const settle = () => vi.advanceTimersByTimeAsync(0);
const isGridRun = (args: readonly string[]) => args.join(' ').includes(`fps=${GRID_MAX_FPS},scale=`);

function setup() {
  const fake = fakeSpawner();
  const registry = new CaptureRegistry({ spawn: fake.spawn, ffmpegPath: '/usr/bin/ffmpeg', timing, log: () => {} });
  registry.setCameras([
    cameraSchema.parse({ id: 'door', name: 'Door', source: 'http://cam/main', width: 1920, fps: 15 }),
    cameraSchema.parse({ id: 'tiny', name: 'Tiny', source: 'http://cam/tiny', width: 320, fps: 5 }),
  ]);
  const alive = () => fake.children.filter((child) => !child.exited);
  return { registry, children: fake.children, alive };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('one ffmpeg per camera, sized for who watches', () => {
  it('captures a smaller, slower picture while only grid tiles watch', () => {
    const { registry, children } = setup();
    registry.subscribe('door', 'grid');
    registry.subscribe('door', 'grid');
    expect(children).toHaveLength(1);
    expect(isGridRun(children[0]!.args)).toBe(true);
    expect(registry.snapshot('door')?.variant).toBe('grid');
  });

  it('switches to the full picture when the camera page opens, keeping the tiles streaming', async () => {
    const { registry, children, alive } = setup();
    const tile = registry.subscribe('door', 'grid')!;
    const page = registry.subscribe('door', 'main')!;
    await settle();
    expect(alive()).toHaveLength(1); // never two connections to the camera at once
    expect(isGridRun(alive()[0]!.args)).toBe(false);

    alive()[0]!.frame(JPEG_B);
    await settle();
    expect((await page.slot.next())?.jpeg).toEqual(JPEG_B);
    expect((await tile.slot.next())?.jpeg).toEqual(JPEG_B);
    expect(tile.slot.isClosed).toBe(false);
    expect(children).toHaveLength(2);
  });

  it('goes back to the grid picture a grace period after the camera page closes', async () => {
    const { registry, alive } = setup();
    const tile = registry.subscribe('door', 'grid')!;
    const page = registry.subscribe('door', 'main')!;
    await settle();
    page.release();
    await vi.advanceTimersByTimeAsync(timing.graceMs - 1);
    expect(isGridRun(alive()[0]!.args)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(alive()).toHaveLength(1);
    expect(isGridRun(alive()[0]!.args)).toBe(true);
    expect(tile.slot.isClosed).toBe(false);
  });

  it('does not switch back if the camera page returns within the grace period', async () => {
    const { registry, children } = setup();
    registry.subscribe('door', 'grid');
    registry.subscribe('door', 'main')!.release();
    await vi.advanceTimersByTimeAsync(timing.graceMs / 2);
    registry.subscribe('door', 'main');
    await vi.advanceTimersByTimeAsync(timing.graceMs * 2);
    expect(children).toHaveLength(2); // the grid run, then one full run
  });

  it('gives the grid the main run of a camera that is small already', () => {
    const { registry, children } = setup();
    registry.subscribe('tiny', 'grid');
    registry.subscribe('tiny', 'main');
    expect(children).toHaveLength(1);
    expect(registry.snapshot('tiny')?.variant).toBe('main');
  });

  it('shows a new viewer the last picture, marked still, while a stopped camera starts again', async () => {
    const { registry, children } = setup();
    registry.subscribe('tiny')!.release();
    children[0]!.frame(JPEG_A);
    await settle();
    await vi.advanceTimersByTimeAsync(timing.graceMs);
    expect(registry.snapshot('tiny')?.state).toBe('idle');

    const returning = registry.subscribe('tiny')!;
    const still = await returning.slot.next();
    expect(still).toMatchObject({ jpeg: JPEG_A, still: true });
    children[1]!.frame(JPEG_B);
    await settle();
    const live = await returning.slot.next();
    expect(live?.jpeg).toEqual(JPEG_B);
    expect(live?.still).toBeUndefined();
  });
});
