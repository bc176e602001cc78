import { describe, expect, it } from 'vitest';
import { cameraSchema } from '@/lib/config/schema';
import { encodedSourceArgs, h264TestPatternArgs, hasOwnVideo, liveReaderArgs, skippingCatchUp, transcoderArgs } from '@/lib/ffmpeg/live-args';

const camera = (entry: Record<string, unknown>) => cameraSchema.parse({ id: 'cam', name: 'Cam', ...entry });

describe("the camera's own video", () => {
  it('is copied from an RTSP camera into one fragment per frame, with a small probe and no nobuffer', () => {
    const args = liveReaderArgs({ url: 'rtsp://cam/live', rtspTransport: 'udp' });
    expect(args).toEqual(expect.arrayContaining(['-rtsp_transport', 'udp', '-probesize', '32', '-analyzeduration', '0', '-c:v', 'copy', '-f', 'mp4']));
    expect(args[args.indexOf('-movflags') + 1]).toBe('+frag_every_frame+empty_moov+default_base_moof');
    expect(args).not.toContain('nobuffer');
    expect(args.at(-1)).toBe('pipe:1');
  });

  it('is H.264 for a test pattern that asks for it, and none for other sources', () => {
    expect(hasOwnVideo(camera({ source: 'rtsp://cam/live' }))).toBe(true);
    expect(hasOwnVideo(camera({ source: 'test:smptebars', codec: 'h264' }))).toBe(true);
    expect(hasOwnVideo(camera({ source: 'test:smptebars' }))).toBe(false);
    expect(hasOwnVideo(camera({ source: 'http://cam/video.mjpg' }))).toBe(false);
    const demo = camera({ source: 'test:smptebars', codec: 'h264', fps: 15, width: 640 });
    const args = h264TestPatternArgs(demo, 'smptebars');
    expect(args).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-tune', 'zerolatency', '-profile:v', 'baseline', '-g', '30']));
    expect(args.join(' ')).toContain('smptebars=size=640x360:rate=15');
  });

  it('is encoded, when asked, for a source that sends none: a keyframe every 2 s whatever its rate, its size and rate as configured', () => {
    const webcam = camera({ source: '/dev/video0', codec: 'h264', fps: 15, width: 1280 });
    expect(hasOwnVideo(webcam)).toBe(true);
    const args = encodedSourceArgs(webcam);
    expect(args.slice(args.indexOf('-f'), args.indexOf('-i') + 2)).toEqual(['-f', 'v4l2', '-framerate', '15', '-i', '/dev/video0']);
    expect(args[args.indexOf('-vf') + 1]).toBe('fps=15,scale=1280:-2');
    expect(args).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-profile:v', 'baseline', '-force_key_frames', 'expr:gte(t,n_forced*2)']));
    expect(args[args.indexOf('-movflags') + 1]).toBe('+frag_every_frame+empty_moov+default_base_moof');
  });

  it('is decoded from stdin for MJPEG viewers, scaled and slowed for the grid as the camera would be', () => {
    const args = transcoderArgs({ name: 'Cam', input: { kind: 'test', pattern: 'testsrc2' }, fps: 5, width: 320 });
    expect(args.slice(args.indexOf('-i') - 2, args.indexOf('-i') + 2)).toEqual(['-f', 'mp4', '-i', 'pipe:0']);
    expect(args[args.indexOf('-vf') + 1]).toBe('fps=5,scale=320:-2');
    expect(args).toEqual(expect.arrayContaining(['-flags', 'low_delay', '-c:v', 'mjpeg']));
  });

  it('is asked for only where it applies', () => {
    const issue = (entry: Record<string, unknown>) => cameraSchema.safeParse({ id: 'cam', name: 'Cam', ...entry }).error?.issues[0];
    expect(issue({ source: 'rtsp://cam/live', codec: 'h264' })).toMatchObject({ path: ['codec'], message: expect.stringMatching(/does not apply to rtsp:\/\/ sources/) });
    expect(issue({ source: 'http://cam/snap.jpg', snapshot: true, codec: 'h264' })).toMatchObject({ path: ['codec'], message: expect.stringMatching(/does not apply to snapshot cameras/) });
    for (const source of ['test', 'http://cam/video.mjpg', '/dev/video0', '/srv/yard.mp4']) expect(issue({ source, codec: 'h264' })).toBeUndefined();
    expect(issue({ source: 'test', codec: 'h265' })).toMatchObject({ path: ['codec'], message: 'must be "h264"' });
  });

  it('makes no JPEG of the frames a transcoder decodes only to reach the current one', () => {
    const grid = transcoderArgs({ name: 'Cam', input: { kind: 'rtsp', url: 'rtsp://cam/live' }, fps: 5, width: 320 });
    expect(skippingCatchUp(grid, 2.5)[grid.indexOf('-vf') + 1]).toBe('select=gte(t\\,2.500),fps=5,scale=320:-2');
    const full = transcoderArgs({ name: 'Cam', input: { kind: 'rtsp', url: 'rtsp://cam/live' } });
    const skipping = skippingCatchUp(full, 1);
    expect(skipping.slice(skipping.indexOf('-vf'), skipping.indexOf('-vf') + 3)).toEqual(['-vf', 'select=gte(t\\,1.000)', '-fps_mode']);
    expect(skippingCatchUp(full, 0)).toEqual(full);
  });
});
