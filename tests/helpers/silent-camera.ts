import { createServer, type AddressInfo, type Socket } from 'node:net';

/** A camera hung after accept(): the kernel completes the handshake, the firmware never answers. */
export type SilentCamera = {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections open now. */
  open(): number;
  /** The most connections open at once. */
  maxOpen(): number;
  close(): Promise<void>;
};

export async function startSilentCamera(): Promise<SilentCamera> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let maxOpen = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on('error', () => {});
    // Reads (and ignores) the request, so that the client's hang-up is seen when it comes.
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    open: () => sockets.size,
    maxOpen: () => maxOpen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
