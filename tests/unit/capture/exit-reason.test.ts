import { describe, expect, it } from 'vitest';
import { classifyFailure } from '@/lib/capture/exit-reason';

const classify = (lines: string[], code: number | null = 1) => classifyFailure('ffmpeg exited with code 1', lines, code);

describe('failure reasons', () => {
  it.each([
    ['[rtsp @ 0x5] method DESCRIBE failed: 401 Unauthorized', 'authentication failed'],
    ['[http @ 0x5] HTTP error 403 Forbidden', 'authentication failed'],
    ['rtsp://admin:***@10.0.0.9/live: Connection refused', 'refused'],
    ['rtsp://10.0.0.9/live: Connection timed out', 'timed out'],
    ['[tcp @ 0x5] Connection to tcp://10.0.0.9:554?timeout=0 failed: No route to host', 'unreachable'],
    ['[tcp @ 0x5] Failed to resolve hostname cam.invalid: Name or service not known', 'unreachable'],
    ['http://10.0.0.9/index.html: Invalid data found when processing input', 'not a video stream'],
    ['/srv/missing.mp4: No such file or directory', 'not found'],
  ])('%s → %s', (line, kind) => {
    const failure = classify([line]);
    expect(failure.kind).toBe(kind);
    expect(failure.reason).not.toMatch(/[a-z]+:\/\//);
  });

  it.each(['file', 'test', 'v4l2', undefined] as const)('says a %s source that ended on its own ended', (source) => {
    expect(classifyFailure('the stream ended', [], 0, source)).toEqual({ kind: 'ended', reason: 'ended: the source stopped sending video' });
  });

  it.each(['rtsp', 'http'] as const)('says an %s camera that closed its stream disconnected, which a network camera never does on purpose', (source) => {
    expect(classifyFailure('the stream ended', [], 0, source)).toEqual({ kind: 'disconnected', reason: 'disconnected: the camera closed the stream' });
  });

  it('names what stderr says over how the camera closed', () => {
    expect(classifyFailure('the stream ended', ['Connection refused'], 0, 'rtsp').kind).toBe('refused');
  });

  it('falls back to the exit and the last line', () => {
    expect(classify(['something odd'])).toEqual({ kind: 'failed', reason: 'ffmpeg exited with code 1: something odd' });
  });
});
