import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSendQueueProbe, type SendQueueProbe } from '@/lib/server/send-queue';

// The real native module (built by npm test's setup), on real sockets: what pacing relies on.
const sockets: net.Socket[] = [];
let server: net.Server | undefined;
afterEach(() => {
  sockets.forEach((socket) => socket.destroy());
  server?.close();
});

async function connectedPair(): Promise<{ sender: net.Socket; receiver: net.Socket }> {
  return new Promise((resolve) => {
    server = net.createServer((sender) => {
      sockets.push(sender);
      resolve({ sender, receiver });
    });
    let receiver!: net.Socket;
    server.listen(0, '127.0.0.1', () => {
      receiver = net.connect((server!.address() as net.AddressInfo).port, '127.0.0.1');
      sockets.push(receiver);
    });
  });
}

function loaded(): SendQueueProbe {
  const result = loadSendQueueProbe('linux');
  if ('missing' in result) throw new Error(result.missing);
  return result.probe;
}

describe('the send queue probe', () => {
  it('sees bytes a viewer has not taken yet, and an empty queue once it has', async () => {
    const probe = loaded();
    const { sender, receiver } = await connectedPair();
    receiver.pause();
    sender.write(Buffer.alloc(8 * 1024 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const backed = probe.sendQueue(sender)!;
    expect(probe.queuedBytes(sender)).toBeGreaterThan(0);
    expect(backed.queuedBytes).toBeGreaterThan(0);
    expect(backed.unsentBytes).toBeLessThanOrEqual(backed.queuedBytes);
    expect(backed.segmentBytes).toBeGreaterThan(0);

    let received = 0;
    receiver.on('data', (chunk: Buffer) => (received += chunk.length));
    receiver.resume();
    await new Promise<void>((resolve) => {
      const check = () => (received >= 8 * 1024 * 1024 ? resolve() : setTimeout(check, 20));
      check();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probe.queuedBytes(sender)).toBe(0);
    expect(probe.sendQueue(sender)!.queuedBytes).toBe(0);
  });

  it('reads nothing from a closed connection rather than throwing', async () => {
    const probe = loaded();
    const { sender } = await connectedPair();
    sender.destroy();
    expect(probe.queuedBytes(sender)).toBeUndefined();
    expect(probe.sendQueue(sender)).toBeUndefined();
  });

  it('is Linux only', () => {
    expect(loadSendQueueProbe('darwin')).toEqual({ missing: expect.stringContaining('Linux only') });
  });
});
