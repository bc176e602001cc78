import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { asyncPartSource, nextPartOf, type PartSource } from '@/lib/http/part-source';
import { writeParts } from '@/lib/http/write-parts';

/** A writable that keeps what it is given and takes it only when told (a viewer's full connection). */
function slowWritable(highWaterMark: number): Writable & { received: string[]; release(): void } {
  const pending: (() => void)[] = [];
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      out.received.push(chunk.toString());
      pending.push(done);
    },
  }) as Writable & { received: string[]; release(): void };
  out.received = [];
  out.release = () => {
    for (let done = pending.shift(); done; done = pending.shift()) done();
  };
  return out;
}

function fastWritable(): Writable & { received: string[] } {
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.received.push(chunk.toString());
      done();
    },
  }) as Writable & { received: string[] };
  out.received = [];
  return out;
}

/** Parts pushed by the test, as a camera delivers frames; `onReady` calls counted. */
function pushedSource(): PartSource & { push(part: string | null): void; waits: number } {
  const queue: (Uint8Array | null)[] = [];
  let wake: (() => void) | undefined;
  const source = {
    waits: 0,
    take: () => queue.shift(),
    onReady(ready: () => void) {
      source.waits += 1;
      wake = ready;
    },
    push(part: string | null) {
      queue.push(part === null ? null : Buffer.from(part));
      const ready = wake;
      wake = undefined;
      ready?.();
    },
  };
  return source;
}

describe('writing parts straight to a Node writable', () => {
  it('writes the first bytes, then each part synchronously as it is pushed, and ends with the source', async () => {
    const out = fastWritable();
    const source = pushedSource();
    const written = writeParts(out, [Buffer.from('preamble')], source, () => false);
    expect(out.received).toEqual(['preamble']);
    source.push('a');
    expect(out.received).toEqual(['preamble', 'a']);
    source.push('b');
    source.push('c');
    expect(out.received).toEqual(['preamble', 'a', 'b', 'c']);
    source.push(null);
    await written;
    expect(source.waits).toBe(4);
  });

  it('takes nothing more from the source while the writable is full, and goes on at its drain', async () => {
    const out = slowWritable(4);
    const source = pushedSource();
    const written = writeParts(out, [], source, () => false);
    source.push('12345');
    source.push('later');
    // Full after the first part: the second waits in the source, where a live source can skip it.
    expect(out.received).toEqual(['12345']);
    out.release();
    expect(out.received).toEqual(['12345', 'later']);
    out.release();
    source.push(null);
    await written;
  });

  it('stops when the client has gone, leaving what is still in the source', async () => {
    const out = fastWritable();
    const source = pushedSource();
    let gone = false;
    const written = writeParts(out, [], source, () => gone);
    source.push('a');
    gone = true;
    source.push('b');
    await written;
    expect(out.received).toEqual(['a']);
  });

  it('ends when the writable closes while waiting for its drain', async () => {
    const out = slowWritable(1);
    const source = pushedSource();
    const written = writeParts(out, [], source, () => false);
    source.push('big part');
    out.destroy();
    await written;
    expect(out.listenerCount('drain')).toBe(0);
  });

  it("keeps a failing write from reaching the camera's delivery that called it", async () => {
    const out = fastWritable();
    out.write = () => {
      throw new Error('socket gone');
    };
    out.on('error', () => {});
    const source = pushedSource();
    const written = writeParts(out, [], source, () => false);
    expect(() => source.push('a')).not.toThrow();
    await written;
    expect(out.destroyed).toBe(true);
  });
});

describe('part sources', () => {
  it('turn an async producer into a source and back, ending with its null', async () => {
    const parts = ['x', 'y'];
    const read = nextPartOf(asyncPartSource(async () => (parts.length ? Buffer.from(parts.shift()!) : null)));
    expect(String(await read())).toBe('x');
    expect(String(await read())).toBe('y');
    expect(await read()).toBeNull();
  });

  it('ends the stream when the async producer fails', async () => {
    const read = nextPartOf(asyncPartSource(() => Promise.reject(new Error('camera removed'))));
    expect(await read()).toBeNull();
  });
});
