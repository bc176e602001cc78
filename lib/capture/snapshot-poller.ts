import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CaptureProcess } from './process';

export type SnapshotPollerOptions = {
  url: string;
  fps: number;
  timeoutMs: number;
  fetch?: typeof fetch;
};

let nextPollerId = 1;

/**
 * A camera that answers each request with one JPEG, fetched at the camera's fps. ffmpeg cannot
 * poll a URL (its image2 demuxer reads a burst and then repeats it), so this stands in for the
 * ffmpeg child: JPEGs on stdout, errors on stderr in ffmpeg's words, an exit when it gives up.
 * The capture's watchdog, backoff and reasons then work for it unchanged.
 */
export class SnapshotPoller extends EventEmitter implements CaptureProcess {
  readonly pid = undefined;
  readonly id = nextPollerId++;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private readonly abort = new AbortController();
  private ended = false;

  constructor(private readonly options: SnapshotPollerOptions) {
    super();
    void this.run();
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.ended) return false;
    this.abort.abort();
    this.end(null, signal);
    return true;
  }

  private async run(): Promise<void> {
    const { url, headers } = withoutCredentials(this.options.url);
    const interval = 1000 / this.options.fps;
    const doFetch = this.options.fetch ?? fetch;
    while (!this.ended) {
      const started = Date.now();
      try {
        const response = await doFetch(url, {
          headers,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
        });
        const body = new Uint8Array(await response.arrayBuffer());
        if (!response.ok) return this.fail(`HTTP error ${response.status} ${response.statusText}`);
        if (body[0] !== 0xff || body[1] !== 0xd8) return this.fail('Invalid data found when processing input (not a JPEG)');
        if (this.ended) return;
        this.stdout.write(body);
      } catch (error) {
        if (this.ended) return;
        return this.fail(describeFetchError(error));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, interval - (Date.now() - started))));
    }
  }

  private fail(message: string): void {
    this.stderr.write(`${message}\n`);
    this.end(1, null);
  }

  private end(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    this.ended = true;
    this.stdout.end();
    this.stderr.end();
    queueMicrotask(() => this.emit('exit', code, signal));
  }
}

/** fetch() refuses URLs with credentials: they travel as a Basic Authorization header instead. */
function withoutCredentials(source: string): { url: string; headers: Record<string, string> } {
  const url = new URL(source);
  if (!url.username && !url.password) return { url: source, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.toString(), headers: { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || cause?.code === 'UND_ERR_CONNECT_TIMEOUT') return 'Connection timed out';
  if (cause?.code === 'ECONNREFUSED') return 'Connection refused';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'Failed to resolve hostname: Name or service not known';
  if (cause?.code === 'EHOSTUNREACH' || cause?.code === 'ENETUNREACH') return 'No route to host';
  return `snapshot request failed: ${cause?.code ?? (error as Error).message}`;
}
