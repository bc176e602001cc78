import { describe, expect, it } from 'vitest';
import { cameraSchema } from '@/lib/config/schema';
import { buildFfmpegArgs, overlayText, qualityToQscale } from '@/lib/ffmpeg/args';

const camera = (fields: Record<string, unknown>) => cameraSchema.parse({ id: 'cam', name: 'Cam', ...fields });

/** The value that follows a flag, e.g. valueOf(args, '-i'). */
const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
const inputArgs = (args: string[]) => args.slice(0, args.indexOf('-i') + 2);

describe('ffmpeg arguments', () => {
  it('always writes JPEGs to stdout, without audio, never reads stdin', () => {
    const args = buildFfmpegArgs(camera({ source: 'test' }));
    expect(args.slice(-3)).toEqual(['-f', 'image2pipe', 'pipe:1']);
    expect(valueOf(args, '-c:v')).toBe('mjpeg');
    expect(args).toContain('-nostdin');
    expect(args).toContain('-an');
    expect(valueOf(args, '-fps_mode')).toBe('passthrough');
  });

  it('reads RTSP over TCP by default, UDP on request, with a network timeout', () => {
    const tcp = buildFfmpegArgs(camera({ source: 'rtsp://user:pass@10.0.0.2:554/h264' }));
    expect(valueOf(tcp, '-rtsp_transport')).toBe('tcp');
    expect(valueOf(tcp, '-timeout')).toBe('10000000');
    expect(valueOf(tcp, '-i')).toBe('rtsp://user:pass@10.0.0.2:554/h264');
    expect(tcp.indexOf('-rtsp_transport')).toBeLessThan(tcp.indexOf('-i'));
    const udp = buildFfmpegArgs(camera({ source: 'rtsp://10.0.0.2/h264', rtspTransport: 'udp' }));
    expect(valueOf(udp, '-rtsp_transport')).toBe('udp');
  });

  it('reads HTTP cameras with a read timeout', () => {
    const args = buildFfmpegArgs(camera({ source: 'http://10.0.0.3/video.mjpg' }));
    expect(inputArgs(args)).toEqual(expect.arrayContaining(['-rw_timeout', '10000000', '-i', 'http://10.0.0.3/video.mjpg']));
  });

  it('copies an MJPEG camera\'s JPEGs unless size, rate or quality must change', () => {
    const copy = buildFfmpegArgs(camera({ source: 'http://10.0.0.3/video.mjpg' }));
    expect(valueOf(copy, '-c:v')).toBe('copy');
    expect(copy).not.toContain('-q:v');
    for (const change of [{ width: 640 }, { fps: 5 }, { quality: 50 }]) {
      expect(valueOf(buildFfmpegArgs(camera({ source: 'http://10.0.0.3/video.mjpg', ...change })), '-c:v')).toBe('mjpeg');
    }
    expect(valueOf(buildFfmpegArgs(camera({ source: 'rtsp://10.0.0.3/1' })), '-c:v')).toBe('mjpeg');
  });

  it('loops video files at their own rate', () => {
    const args = buildFfmpegArgs(camera({ source: 'file:///videos/yard.mp4' }));
    expect(inputArgs(args)).toEqual(['-hide_banner', '-nostdin', '-loglevel', 'error', '-protocol_whitelist', 'file', '-re', '-stream_loop', '-1', '-i', '/videos/yard.mp4']);
  });

  it('opens a V4L2 webcam with the requested frame rate', () => {
    const args = buildFfmpegArgs(camera({ source: '/dev/video2', fps: 15 }));
    expect(inputArgs(args).slice(6)).toEqual(['-f', 'v4l2', '-framerate', '15', '-i', '/dev/video2']);
  });

  it('lets ffmpeg open only the protocols of the source kind: an RTSP or HTTP camera can never read a local file', () => {
    const whitelist = (source: string) => valueOf(buildFfmpegArgs(camera({ source })), '-protocol_whitelist');
    expect(whitelist('rtsp://10.0.0.2/live')!.split(',')).not.toContain('file');
    expect(whitelist('rtsp://10.0.0.2/live')!.split(',')).toEqual(expect.arrayContaining(['rtsp', 'tcp', 'udp', 'rtp']));
    expect(whitelist('https://10.0.0.2/video.mjpg')!.split(',')).toEqual(['http', 'https', 'tcp', 'tls']);
    expect(whitelist('/videos/yard.mp4')).toBe('file');
    for (const source of ['rtsp://cam/live', 'http://cam/video.mjpg', '/videos/a.mp4', '/dev/video0']) {
      const args = buildFfmpegArgs(camera({ source }));
      expect(args.indexOf('-protocol_whitelist'), source).toBeLessThan(args.indexOf('-i'));
    }
  });

  it('generates the test pattern in real time at the configured size and rate, with name and clock', () => {
    const args = buildFfmpegArgs(camera({ source: 'test:smptebars', name: 'Back yard', fps: 5, width: 320 }));
    expect(args).toContain('-re');
    expect(valueOf(args, '-f')).toBe('lavfi');
    const graph = valueOf(args, '-i')!;
    expect(graph.startsWith('smptebars=size=320x180:rate=5,')).toBe(true);
    expect(graph).toContain("drawtext=text='Back yard'");
    expect(graph).toContain('%{localtime}');
    expect(args).not.toContain('-vf');
  });

  it('scales and limits the frame rate only when asked', () => {
    expect(buildFfmpegArgs(camera({ source: 'rtsp://cam/1' }))).not.toContain('-vf');
    const args = buildFfmpegArgs(camera({ source: 'rtsp://cam/1', fps: 8, width: 800 }));
    expect(valueOf(args, '-vf')).toBe('fps=8,scale=800:-2');
  });

  it('maps quality 1–100 onto qscale 31–2', () => {
    expect(qualityToQscale(100)).toBe(2);
    expect(qualityToQscale(1)).toBe(31);
    expect(valueOf(buildFfmpegArgs(camera({ source: 'test', quality: 100 })), '-q:v')).toBe('2');
  });

  it('keeps overlay text free of characters the filter graph would interpret', () => {
    expect(overlayText("Bob's cam: [1], 50%; a\\b")).toBe('Bob s cam   1   50   a b');
    expect(overlayText('Küche 2 (Nord)')).toBe('Küche 2 (Nord)');
    expect(overlayText(':::')).toBe('camera');
  });
});
