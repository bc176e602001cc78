// Reads ffmpeg's fragmented MP4 from stdin as a LiveSource does (lib/fmp4/fmp4-reader.ts) and,
// given a sink's port and a socket count, writes each fragment as the one multipart part every
// viewer is sent (lib/live/video-part.ts) to that many loopback TCP sockets. With a count of 0 it
// only parses. Usage: fanout-reader.ts <sink port> <sockets>. Runs until killed or its stdin ends.
import { connect, type Socket } from 'node:net';
import { Fmp4Reader } from '../../lib/fmp4/fmp4-reader';
import { videoPart } from '../../lib/live/video-part';

// A socket this far behind would be a stuck viewer; it is skipped rather than buffered without end.
const MAX_UNSENT_BYTES = 1 << 20;

const [port, count] = process.argv.slice(2).map(Number) as [number, number];

async function connectAll(): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((resolve, reject) => {
      // noDelay as Node's HTTP server sets it: each part goes out when written.
      const socket = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
      socket.once('error', reject);
    })),
  );
}

function writeAll(sockets: readonly Socket[], part: Buffer): void {
  for (const socket of sockets) if (socket.writableLength < MAX_UNSENT_BYTES) socket.write(part);
}

async function main(): Promise<void> {
  const sockets = count > 0 ? await connectAll() : [];
  const reader = new Fmp4Reader();
  // Read only once connected: what ffmpeg wrote meanwhile waits in the pipe.
  process.stdin.on('data', (chunk: Buffer) => {
    // A parse failure throws out of here and ends the process: the floor would be of nothing.
    for (const event of reader.push(chunk)) {
      if (sockets.length === 0) continue;
      const item = event.kind === 'init' ? event : { kind: 'fragment' as const, fragment: event.fragment, receivedAt: Date.now() };
      writeAll(sockets, videoPart('floor', item));
    }
  });
  // ffmpeg gone: the sockets would keep this process alive for nothing.
  process.stdin.on('end', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
