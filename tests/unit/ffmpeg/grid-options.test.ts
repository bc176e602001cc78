import { describe, expect, it } from 'vitest';
import { cameraSchema } from '@/lib/config/schema';
import { buildFfmpegArgs } from '@/lib/ffmpeg/args';
import { GRID_MAX_FPS, GRID_MAX_WIDTH, gridCaptureOptions } from '@/lib/ffmpeg/grid-options';

const camera = (fields: Record<string, unknown>) => cameraSchema.parse({ id: 'cam', name: 'Cam', ...fields });
const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('grid capture options', () => {
  it('caps a large, fast camera at the grid size and rate', () => {
    const grid = gridCaptureOptions(camera({ source: 'rtsp://cam/main', width: 1920, fps: 15 }))!;
    expect(grid).toMatchObject({ width: GRID_MAX_WIDTH, fps: GRID_MAX_FPS });
    expect(valueOf(buildFfmpegArgs(grid), '-vf')).toBe(`fps=${GRID_MAX_FPS},scale=${GRID_MAX_WIDTH}:-2`);
  });

  it('scales a camera of unknown size down only, never up', () => {
    const grid = gridCaptureOptions(camera({ source: 'rtsp://cam/main' }))!;
    expect(grid.width).toBeUndefined();
    expect(valueOf(buildFfmpegArgs(grid), '-vf')).toBe(`fps=${GRID_MAX_FPS},scale='min(${GRID_MAX_WIDTH},iw)':-2`);
  });

  it('keeps a configured size that is already small, lowering only the rate', () => {
    expect(gridCaptureOptions(camera({ source: 'rtsp://cam/main', width: 320, fps: 10 }))).toMatchObject({ width: 320, fps: GRID_MAX_FPS });
  });

  it('generates the test pattern at the grid rate (its default is 10 fps)', () => {
    const grid = gridCaptureOptions(camera({ source: 'test' }))!;
    expect(valueOf(buildFfmpegArgs(grid), '-i')).toMatch(new RegExp(`^testsrc2=size=640x360:rate=${GRID_MAX_FPS},`));
  });

  it('has no grid run where the main one is small enough, or where one would cost more than it saves', () => {
    expect(gridCaptureOptions(camera({ source: 'test', width: 160, fps: 5 }))).toBeUndefined();
    // An MJPEG camera passed through untouched costs no CPU; a grid run would decode every frame.
    expect(gridCaptureOptions(camera({ source: 'http://cam/video.mjpg' }))).toBeUndefined();
    expect(gridCaptureOptions(camera({ source: 'http://cam/snap.jpg', snapshot: true }))).toBeUndefined();
    expect(gridCaptureOptions(camera({ source: 'http://cam/video.mjpg', width: 1280 }))).toMatchObject({ width: GRID_MAX_WIDTH });
  });
});
