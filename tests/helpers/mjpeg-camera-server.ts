import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Options = { frames: Buffer[]; fps: number; user?: string; password?: string; port?: number };

/**
 * An HTTP camera on 127.0.0.1, as cheap IP cameras are: `/video.mjpg` streams MJPEG,
 * `/snapshot.jpg` answers one JPEG per request, `/index.html` is not video at all.
 */
export async function startMjpegCamera({ frames, fps, user, password, port: wantedPort = 0 }: Options) {
  const counts = { streams: 0, snapshots: 0 };
  const streams = new Set<ServerResponse>();
  let next = 0;
  const frame = () => frames[next++ % frames.length]!;

  const server = createServer((request, response) => {
    const expected = user === undefined ? undefined : `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
    if (expected && request.headers.authorization !== expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="camera"' }).end();
      return;
    }
    if (request.url === '/video.mjpg') {
      counts.streams += 1;
      response.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace; boundary=myboundary' });
      streams.add(response);
      response.on('close', () => streams.delete(response));
    } else if (request.url === '/snapshot.jpg') {
      counts.snapshots += 1;
      const jpeg = frame();
      response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length }).end(jpeg);
    } else {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>camera settings</body></html>');
    }
  });

  const timer = setInterval(() => {
    if (streams.size === 0) return;
    const jpeg = frame();
    const part = Buffer.concat([
      Buffer.from(`--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`),
      jpeg,
      Buffer.from('\r\n'),
    ]);
    for (const response of streams) response.write(part);
  }, 1000 / fps);

  await new Promise<void>((resolve) => server.listen(wantedPort, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const credentials = user === undefined ? '' : `${encodeURIComponent(user)}:${encodeURIComponent(password ?? '')}@`;
  return {
    counts,
    url: (path: string, withCredentials = true) => `http://${withCredentials ? credentials : ''}127.0.0.1:${port}${path}`,
    openStreams: () => streams.size,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
