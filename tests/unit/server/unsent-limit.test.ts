import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeTcp, onOpenSocket } from '@/lib/server/native-tcp';
import { limitUnsentBytesOfNewConnections, loadUnsentLimit, UNSENT_LIMIT_BYTES, type SetUnsentLimit } from '@/lib/server/unsent-limit';

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

function nativeTcp() {
  const loaded = loadNativeTcp('linux');
  if ('missing' in loaded) throw new Error(loaded.missing);
  return loaded.native;
}

describe('the unsent-bytes limit of live connections', () => {
  it('is set with TCP_NOTSENT_LOWAT by the native module, and is really in force on the socket', async () => {
    const loaded = loadUnsentLimit('linux');
    if ('missing' in loaded) throw new Error(loaded.missing);
    const socket = await acceptOne();
    expect(onOpenSocket(socket, (fd) => nativeTcp().unsentLimit(fd))).toBe(0);
    expect(loaded.setUnsentLimit(socket, UNSENT_LIMIT_BYTES)).toBe(true);
    expect(onOpenSocket(socket, (fd) => nativeTcp().unsentLimit(fd))).toBe(UNSENT_LIMIT_BYTES);
  });

  it('is not attempted on other systems, whose option numbers differ', () => {
    expect(loadUnsentLimit('darwin')).toEqual({ missing: expect.stringContaining('Linux only') });
  });

  it('leaves a connection alone when it cannot be set (a socket already closed)', async () => {
    const loaded = loadUnsentLimit('linux');
    if ('missing' in loaded) throw new Error(loaded.missing);
    const socket = await acceptOne();
    socket.destroy();
    expect(loaded.setUnsentLimit(socket, UNSENT_LIMIT_BYTES)).toBe(false);
  });

  it('is applied to every connection a server accepts, once installed', async () => {
    const calls: number[] = [];
    const recording: SetUnsentLimit = (_socket, bytes) => calls.push(bytes) > 0;
    expect(limitUnsentBytesOfNewConnections(() => ({ setUnsentLimit: recording }))).toEqual({ installed: true });
    // Installed once per process: a second call changes nothing.
    expect(limitUnsentBytesOfNewConnections(() => ({ missing: 'not again' }))).toEqual({ installed: true });
    await acceptOne();
    await acceptOne();
    expect(calls).toEqual([UNSENT_LIMIT_BYTES, UNSENT_LIMIT_BYTES]);
  });
});
