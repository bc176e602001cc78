import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SegmentWriter, type WriterFailure } from '@/lib/recording/segment-writer';
import { waitFor } from '../../helpers/wait-for';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'camdash-writer-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('SegmentWriter', () => {
  it('writes what it is given, in order, into a new file of its directories', async () => {
    const file = path.join(tempDir(), 'cam', '2026-12-02', 'a.mp4');
    const writer = new SegmentWriter(file, () => undefined);
    const chunks = Array.from({ length: 200 }, (_, index) => new Uint8Array(1000).fill(index % 256));
    for (const chunk of chunks) expect(writer.append(chunk)).toBe(true);
    await writer.close();
    expect(readFileSync(file)).toEqual(Buffer.concat(chunks));
    expect(writer.writtenBytes).toBe(200_000);
  });

  it('gathers frames for a while before writing them, and writes a large batch at once', async () => {
    const file = path.join(tempDir(), 'batch.mp4');
    const writer = new SegmentWriter(file, () => undefined, { batchMs: 60_000 });
    writer.append(new Uint8Array(3_000));
    await waitFor(() => existsSync(file), { message: 'the file to be opened' });
    // A few turns of the event loop: an unbatched writer would have written the frame by now.
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(writer.writtenBytes).toBe(0);
    writer.append(new Uint8Array(300_000));
    await waitFor(() => writer.writtenBytes === 303_000, { message: 'the large batch to be written' });
    writer.append(new Uint8Array(1_000));
    await writer.close();
    expect(readFileSync(file).length).toBe(304_000);
  });

  it('refuses bytes past its queue bound instead of holding them', async () => {
    const file = path.join(tempDir(), 'b.mp4');
    const writer = new SegmentWriter(file, () => undefined, { queueLimitBytes: 10_000 });
    // Nothing is written before the file is open, so everything appended in this tick queues.
    const taken = Array.from({ length: 20 }, () => writer.append(new Uint8Array(1000))).filter(Boolean).length;
    expect(taken).toBe(10);
    expect(writer.pendingBytes).toBeLessThanOrEqual(10_000);
    await writer.close();
    expect(readFileSync(file).length).toBe(10_000);
  });

  it('never overwrites a file that exists, and says so', async () => {
    const file = path.join(tempDir(), 'c.mp4');
    writeFileSync(file, 'footage');
    const failures: WriterFailure[] = [];
    const writer = new SegmentWriter(file, (failure) => failures.push(failure));
    writer.append(new Uint8Array(10));
    await writer.close();
    expect(failures).toEqual([{ code: 'EEXIST', message: 'c.mp4 already exists' }]);
    expect(readFileSync(file, 'utf8')).toBe('footage');
    expect(writer.append(new Uint8Array(1))).toBe(false);
  });
});
