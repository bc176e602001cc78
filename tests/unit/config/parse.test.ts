import { describe, expect, it } from 'vitest';
import { parseCamerasText } from '@/lib/config/parse';

const env = { CAM_PASSWORD: 's3cr3t!', HOST: '192.168.1.20' };

function errorsOf(cameras: unknown[] | string, environment: Record<string, string> = env): string[] {
  const text = typeof cameras === 'string' ? cameras : JSON.stringify({ cameras }, null, 2);
  const result = parseCamerasText(text, 'cameras.json', environment);
  return result.ok ? [] : result.errors;
}

const door = { id: 'door', name: 'Door', source: 'test' };

describe('cameras.json validation', () => {
  it('accepts every source kind and classifies it', () => {
    const result = parseCamerasText(
      JSON.stringify({
        cameras: [
          { id: 'ip', name: 'IP', source: 'rtsp://admin:${CAM_PASSWORD}@${HOST}:554/stream1', rtspTransport: 'udp' },
          { id: 'tls', name: 'TLS', source: 'rtsps://cam.local/live' },
          { id: 'mjpeg', name: 'MJPEG', source: 'http://10.0.0.5/video.mjpg', fps: 5, width: 640, quality: 70 },
          { id: 'file', name: 'File', source: '/srv/videos/loop.mp4' },
          { id: 'fileurl', name: 'File URL', source: 'file:///srv/videos/loop%20two.mp4' },
          { id: 'webcam', name: 'Webcam', source: '/dev/video0', enabled: false },
          { id: 'pattern', name: 'Pattern', source: 'test:smptebars' },
        ],
      }),
      'cameras.json',
      env,
    );
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config.cameras.map((camera) => camera.input)).toEqual([
      { kind: 'rtsp', url: 'rtsp://admin:s3cr3t!@192.168.1.20:554/stream1' },
      { kind: 'rtsp', url: 'rtsps://cam.local/live' },
      { kind: 'http', url: 'http://10.0.0.5/video.mjpg' },
      { kind: 'file', path: '/srv/videos/loop.mp4' },
      { kind: 'file', path: '/srv/videos/loop two.mp4' },
      { kind: 'v4l2', device: '/dev/video0' },
      { kind: 'test', pattern: 'smptebars' },
    ]);
    expect(result.config.cameras.map((camera) => camera.enabled)).toEqual([true, true, true, true, true, false, true]);
  });

  it('names the file, the JSON path and the camera id in range errors', () => {
    expect(errorsOf([door, door, { ...door, id: 'garage', fps: 90 }])).toContain(
      'cameras.json: cameras[2] ("garage").fps: must be between 1 and 60',
    );
  });

  it('rejects unknown keys instead of ignoring a typo', () => {
    expect(errorsOf([{ ...door, fsp: 10 }])).toEqual(['cameras.json: cameras[0] ("door").fsp: unknown key']);
    expect(errorsOf('{"cameras": [], "extra": 1}')).toEqual(['cameras.json: extra: unknown key']);
  });

  it('requires id, name and source, with the right types', () => {
    expect(errorsOf([{ id: 'x' }])).toEqual([
      'cameras.json: cameras[0] ("x").name: is required',
      'cameras.json: cameras[0] ("x").source: is required',
    ]);
    expect(errorsOf([{ ...door, fps: '10' }])).toEqual(['cameras.json: cameras[0] ("door").fps: must be a number']);
    expect(errorsOf([{ ...door, fps: 7.5 }])).toEqual(['cameras.json: cameras[0] ("door").fps: must be a whole number']);
    expect(errorsOf('{"cameras": {}}')).toEqual(['cameras.json: cameras: must be an array']);
    expect(errorsOf('[]')).toEqual(['cameras.json: must be an object']);
  });

  it('requires URL-safe, unique ids', () => {
    expect(errorsOf([{ ...door, id: 'Front Door' }])[0]).toMatch(/^cameras\.json: cameras\[0\] \("Front Door"\)\.id: must be a URL-safe slug/);
    expect(errorsOf([door, { ...door, name: 'Other' }])).toEqual([
      'cameras.json: cameras[1] ("door").id: duplicate id, already used by cameras[0]; ids must be unique',
    ]);
  });

  it('explains a source it does not understand without repeating it', () => {
    const [error] = errorsOf([{ ...door, source: 'ftp://admin:hunter2@cam/x' }]);
    expect(error).toMatch(/^cameras\.json: cameras\[0\] \("door"\)\.source: must be rtsp:/);
    expect(error).not.toContain('hunter2');
    expect(errorsOf([{ ...door, substream: 'gopher://cam' }])[0]).toMatch(/^cameras\.json: cameras\[0\] \("door"\)\.substream: must be rtsp:/);
    expect(errorsOf([{ ...door, source: 'test:plasma' }])[0]).toContain('unknown test pattern "plasma"');
    expect(errorsOf([{ ...door, source: '/dev/sda' }])[0]).toContain('a device other than /dev/videoN');
    expect(errorsOf([{ ...door, source: 'relative/path.mp4' }])).toHaveLength(1);
  });

  it('checks option values and where options apply', () => {
    expect(errorsOf([{ ...door, source: 'rtsp://cam/1', rtspTransport: 'http' }])).toEqual([
      'cameras.json: cameras[0] ("door").rtspTransport: must be one of "tcp", "udp"',
    ]);
    expect(errorsOf([{ ...door, rtspTransport: 'udp' }])).toEqual([
      'cameras.json: cameras[0] ("door").rtspTransport: only applies to rtsp:// and rtsps:// sources',
    ]);
    expect(errorsOf([{ ...door, snapshot: true }])).toEqual([
      'cameras.json: cameras[0] ("door").snapshot: only applies to http:// and https:// sources',
    ]);
    expect(errorsOf([{ ...door, source: 'http://cam/snap.jpg', snapshot: true }])).toEqual([]);
    expect(errorsOf([{ ...door, quality: 0 }])).toEqual(['cameras.json: cameras[0] ("door").quality: must be between 1 and 100']);
    expect(errorsOf([{ ...door, width: 10 }])).toEqual(['cameras.json: cameras[0] ("door").width: must be between 64 and 3840']);
  });

  it('names an unset environment variable and where it is used, and never its neighbours', () => {
    const errors = errorsOf([{ ...door, source: 'rtsp://admin:${NOPE}@cam/1' }]);
    expect(errors).toEqual(['cameras.json: cameras[0] ("door").source: environment variable NOPE is not set']);
  });

  it('locates JSON syntax errors by line and column without quoting the file', () => {
    const text = '{\n  "cameras": [\n    { "id": "a", "source": "rtsp://u:topsecret@h/1" }\n    { "id": "b" }\n  ]\n}';
    const errors = errorsOf(text);
    expect(errors).toEqual(['cameras.json: line 4, column 5: expected "," (or a closing bracket)']);
    expect(errors.join()).not.toContain('topsecret');
    expect(errorsOf('')).toEqual(['cameras.json: the file is empty; expected {"cameras": [ … ]}']);
    expect(errorsOf('{"cameras": [')).toHaveLength(1);
    expect(errorsOf('{"cameras": [],}')[0]).toMatch(/^cameras\.json: line 1, column \d+: /);
  });
});
