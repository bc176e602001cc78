import { createRequire } from 'node:module';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { limitUnsentBytes, limitUnsentBytesOfNewConnections, loadSetsockopt, UNSENT_LIMIT_BYTES, type SetSockopt } from '@/lib/server/unsent-limit';

const IPPROTO_TCP = 6;
const TCP_NOTSENT_LOWAT = 25;
const opened: { close(): void }[] = [];
afterEach(() => opened.splice(0).forEach((thing) => thing.close()));

/** A server on loopback and one client connection; resolves with the server's side of it. */
async function acceptOne(): Promise<net.Socket> {
  const server = net.createServer();
  opened.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  opened.push({ close: () => client.destroy() });
  const socket = await accepted;
  opened.push({ close: () => socket.destroy() });
  return socket;
}

describe('the unsent-bytes limit of live connections', () => {
  it('is set with TCP_NOTSENT_LOWAT on Linux, and is really in force on the socket', async () => {
    const loaded = loadSetsockopt('linux');
    if ('missing' in loaded) throw new Error(loaded.missing);
    const socket = await acceptOne();
    expect(limitUnsentBytes(socket, loaded.setsockopt)).toBe(true);
    const { getsockopt } = createRequire(import.meta.url)('sockopt') as { getsockopt: (s: net.Socket, level: number, option: number) => number };
    expect(getsockopt(socket, IPPROTO_TCP, TCP_NOTSENT_LOWAT)).toBe(UNSENT_LIMIT_BYTES);
  });

  it('is not attempted on other systems, whose option numbers differ', () => {
    expect(loadSetsockopt('darwin')).toEqual({ missing: expect.stringContaining('Linux only') });
  });

  it('leaves a connection alone when it cannot be set (a socket already closed)', () => {
    const failing: SetSockopt = () => {
      throw new Error('Socket has no file descriptor yet');
    };
    expect(limitUnsentBytes(new net.Socket(), failing)).toBe(false);
  });

  it('is applied to every connection a server accepts, once installed', async () => {
    const calls: number[][] = [];
    const recording: SetSockopt = (_socket, level, option, value) => calls.push([level, option, value]);
    expect(limitUnsentBytesOfNewConnections(() => ({ setsockopt: recording }))).toEqual({ installed: true });
    // Installed once per process: a second call changes nothing.
    expect(limitUnsentBytesOfNewConnections(() => ({ missing: 'not again' }))).toEqual({ installed: true });
    await acceptOne();
    await acceptOne();
    expect(calls).toEqual([
      [IPPROTO_TCP, TCP_NOTSENT_LOWAT, UNSENT_LIMIT_BYTES],
      [IPPROTO_TCP, TCP_NOTSENT_LOWAT, UNSENT_LIMIT_BYTES],
    ]);
  });
});
