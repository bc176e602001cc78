import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { JPEG_A, JPEG_B } from '../helpers/jpeg-fixtures';
import { startMjpegCamera } from '../helpers/mjpeg-camera-server';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { waitFor } from '../helpers/wait-for';

// A camera that sends JPEGs (an HTTP MJPEG camera, with a password) has nothing to copy: it is
// recorded only when the user asks for the encode, and otherwise says why not.
const run = promisify(execFile);
const directory = mkdtempSync(path.join(tmpdir(), 'camdash-recording-encoded-'));
const recordingsDir = path.join(directory, 'recordings');
let camera: Awaited<ReturnType<typeof startMjpegCamera>>;
let server: NextServer;

beforeAll(async () => {
  camera = await startMjpegCamera({ frames: [JPEG_A, JPEG_B], fps: 10, user: 'admin', password: 'hunter2' });
  const source = camera.url('/video.mjpg');
  const camerasFile = path.join(directory, 'cameras.json');
  writeFileSync(
    camerasFile,
    JSON.stringify({
      cameras: [
        { id: 'encoded', name: 'Encoded', source, codec: 'h264', record: { mode: 'continuous' } },
        { id: 'plain', name: 'Plain', source, record: { mode: 'continuous' } },
      ],
    }),
  );
  server = await startNextServer({ camerasFile, env: { CAMDASH_RECORDINGS_DIR: recordingsDir, CAMDASH_RECORD_SEGMENT_SECONDS: '2', CAMDASH_MIN_FREE_GB: '0.1' } });
});

afterAll(async () => {
  await server?.stop();
  await camera?.stop();
});

const listed = async () => ((await (await fetch(`${server.url}/api/cameras`)).json()) as { cameras: PublicCamera[] }).cameras;

describe('recording a camera that sends JPEGs', () => {
  it('records it as H.264 when asked to encode, and says why not otherwise, never with the password', async () => {
    const segments = () => (existsSync(path.join(recordingsDir, 'encoded')) ? readdirSync(path.join(recordingsDir, 'encoded'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.mp4')) : []);
    // Two segments: the first is closed, a whole file.
    await waitFor(() => segments().length >= 2, { timeoutMs: 30_000, message: 'two segments of the encoded camera' });
    const first = path.join(recordingsDir, 'encoded', segments().sort()[0]!);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'csv=p=0', first]);
    const [codec, frames] = stdout.trim().split(',');
    expect(codec).toBe('h264');
    expect(Number(frames)).toBeGreaterThan(10);

    const cameras = await listed();
    const encoded = cameras.find((entry) => entry.id === 'encoded')!;
    expect(encoded.recording).toMatchObject({ mode: 'continuous', active: true });
    expect(encoded.video?.codec).toMatch(/^avc1\./);
    const plain = cameras.find((entry) => entry.id === 'plain')!;
    expect(plain.recording).toMatchObject({ active: false, reason: expect.stringMatching(/not recorded: this source has no H\.264\/H\.265 of its own.*"codec": "h264" encodes it \(about \d+ % of a core/) });
    expect(existsSync(path.join(recordingsDir, 'plain'))).toBe(false);
    expect(JSON.stringify(cameras)).not.toContain('hunter2');
    expect(server.log()).not.toContain('hunter2');
  });
});
