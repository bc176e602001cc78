import { describe, expect, it } from 'vitest';
import { probeSource } from '@/lib/capture/probe';
import { JPEG_A } from '../../helpers/jpeg-fixtures';
import { fakeSpawner } from '../../helpers/fake-ffmpeg';

const camera = { name: 'Door', input: { kind: 'rtsp' as const, url: 'rtsp://127.0.0.1:1/cam' } };

describe('Test connection (probeSource)', () => {
  it('answers with the first picture and stops ffmpeg', async () => {
    const { spawn, children } = fakeSpawner();
    const probing = probeSource(camera, { spawn, ffmpegPath: '/usr/bin/ffmpeg', timeoutMs: 5_000 });
    children[0]!.frame(JPEG_A);
    const result = await probing;
    expect(result.ok && Buffer.from(result.jpeg).equals(JPEG_A)).toBe(true);
    expect(children[0]!.signals).toEqual(['SIGKILL']);
  });

  it('lets go of the source as soon as the client that asked has gone', async () => {
    const { spawn, children } = fakeSpawner();
    const client = new AbortController();
    const probing = probeSource(camera, { spawn, ffmpegPath: '/usr/bin/ffmpeg', timeoutMs: 60_000, signal: client.signal });
    expect(children[0]!.exited).toBe(false);
    client.abort();
    expect(await probing).toEqual({ ok: false, kind: 'failed', reason: 'cancelled: the client went away' });
    expect(children[0]!.signals).toEqual(['SIGKILL']);
  });
});
