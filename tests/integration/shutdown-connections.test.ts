import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { closeConnectionsWhenIdle, trackRequestConnections } from '@/lib/server/request-context';
import { waitFor } from '../helpers/wait-for';

// Far longer than the test's waits: a connection still open at the end was kept alive, not slow to close.
const KEEP_ALIVE_MS = 120_000;

type Live = { end: () => void };

async function startServer(): Promise<{ server: http.Server; url: string; live: Live[] }> {
  trackRequestConnections();
  const live: Live[] = [];
  const server = http.createServer((request, response) => {
    if (request.url === '/live') {
      response.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace; boundary=frame' });
      response.write('--frame\r\n');
      live.push({ end: () => response.end() });
      return;
    }
    response.end('ok');
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, live };
}

function get(url: string, agent: http.Agent): Promise<{ response: http.IncomingMessage; body: Promise<string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        const body = new Promise<string>((done) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => done(text));
        });
        resolve({ response, body });
      })
      .on('error', reject);
  });
}

describe('shutting down while a viewer watches over a keep-alive connection', () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => agent.destroy());

  it('closes the connection once its stream ends, so the server closes without waiting out the keep-alive', async () => {
    const { server, url, live } = await startServer();
    const viewer = await get(`${url}/live`, agent);
    await waitFor(() => live.length === 1, { message: 'the stream to start' });

    let closed = false;
    closeConnectionsWhenIdle();
    server.close(() => (closed = true));
    live[0]?.end();
    await viewer.body;
    await waitFor(() => closed, { timeoutMs: 5_000, message: 'the server to close with no connection left open' });
  });

  it('answers every request from then on with Connection: close', async () => {
    const { server, url } = await startServer();
    closeConnectionsWhenIdle();
    const answer = await get(`${url}/ok`, agent);
    expect(answer.response.headers.connection).toBe('close');
    expect(await answer.body).toBe('ok');
    let closed = false;
    server.close(() => (closed = true));
    await waitFor(() => closed, { timeoutMs: 5_000, message: 'the server to close with no connection left open' });
  });
});
