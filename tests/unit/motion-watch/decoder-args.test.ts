import { describe, expect, it } from 'vitest';
import { MOTION_FILTER } from '@/lib/ffmpeg/motion-args';
import { jpegMotionArgs, liveMotionArgs } from '@/lib/motion-watch/decoder-args';

const filterOf = (args: string[]) => args[args.indexOf('-vf') + 1];

describe('the motion decoder arguments', () => {
  it('decode the camera copy from stdin into the picture the detector was evaluated on', () => {
    const args = liveMotionArgs();
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', 'pipe:0']);
    expect(filterOf(args)).toBe(MOTION_FILTER);
    expect(args.slice(-3)).toEqual(['-f', 'rawvideo', 'pipe:1']);
  });

  it('take JPEGs already at the detector rate: the same picture, without dropping by an assumed rate', () => {
    const args = jpegMotionArgs();
    expect(args).toContain('mjpeg');
    expect(filterOf(args)).toBe(MOTION_FILTER.slice(MOTION_FILTER.indexOf(',') + 1));
    expect(filterOf(args)).not.toMatch(/fps=/);
    expect(args).not.toContain('-re');
  });
});
