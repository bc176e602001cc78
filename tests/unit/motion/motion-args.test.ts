import { describe, expect, it } from 'vitest';
import { MOTION_FRAME_BYTES, motionOutputArgs } from '@/lib/ffmpeg/motion-args';

const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('motionOutputArgs', () => {
  it('writes raw 160×90 grey frames at 5 fps to stdout, with nothing but video', () => {
    const args = motionOutputArgs();
    expect(valueOf(args, '-vf')).toBe('fps=5,scale=160:90:flags=area,format=gray');
    expect(args.slice(-3)).toEqual(['-f', 'rawvideo', 'pipe:1']);
    expect(args).toEqual(expect.arrayContaining(['-an', '-sn', '-dn']));
    expect(MOTION_FRAME_BYTES).toBe(14_400);
  });

  it('writes to another pipe on request, for a second output of the same ffmpeg', () => {
    expect(motionOutputArgs({ output: 'pipe:3' }).at(-1)).toBe('pipe:3');
  });
});
