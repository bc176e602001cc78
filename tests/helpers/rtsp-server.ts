import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's Python, whose dist-packages hold the gi bindings (a pyenv python3 on PATH would not). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../fixtures/rtsp-server.py', import.meta.url));
/** gstreamer1.0-plugins-bad is for `codec: 'h265'` (x265enc). */
export const RTSP_SERVER_DEBS =
  'python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad';

export type RtspServerOptions = {
  user?: string;
  password?: string;
  /** How `user` logs in: Basic (the default) or Digest only. */
  auth?: 'basic' | 'digest';
  width?: number;
  height?: number;
  fps?: number;
  readyTimeoutMs?: number;
  /**
   * A fixed port instead of a free one: a server stopped and started again on the same port is,
   * to the cameras pointed at it, the same camera coming back after an outage.
   */
  port?: number;
  /** Stamp each picture's capture time into it (tests/fixtures/rtsp-server.py --clock-stamp). */
  clockStamp?: boolean;
  /**
   * Frames from one keyframe to the next, exactly (no scene-cut keyframes in between); default
   * `fps`, one a second. `{ fps: 15, gopFrames: 60 }` is a camera with a 4 s keyframe interval.
   */
  gopFrames?: number;
  /** The same picture as H.264 baseline (the default) or as H.265 Main (x265enc). */
  codec?: 'h264' | 'h265';
  /** What the picture shows: still colour bars (the default), or a ball that keeps moving (motion). */
  pattern?: 'smpte' | 'ball';
};
export type Credentials = { user: string; password: string };

export type RtspServer = {
  port: number;
  /** The mount's URL; credentials are added only when given, so that tests can also try without. */
  url(path?: string, credentials?: Credentials): string;
  /** RTSP sessions the server holds now (one per client that did SETUP and has not torn down). */
  sessions(): number;
  /** Open RTSP connections now. */
  clients(): number;
  /** Sessions ever created: counts every ffmpeg that reached SETUP, even short-lived ones. */
  sessionsCreated(): number;
  /** Every line the server printed, for failure messages. */
  output(): string[];
  stop(): Promise<void>;
};

/**
 * Starts tests/fixtures/rtsp-server.py on a free 127.0.0.1 port (or on `options.port`). Rejects,
 * naming the Debian packages, when it cannot start: a test that needs a real camera must fail, not skip.
 */
export async function startRtspServer(options: RtspServerOptions = {}): Promise<RtspServer> {
  const args = [SCRIPT, '--port', String(options.port ?? 0), '--path', '/cam'];
  if (options.width) args.push('--width', String(options.width));
  if (options.height) args.push('--height', String(options.height));
  if (options.fps) args.push('--fps', String(options.fps));
  if (options.user !== undefined) args.push('--user', options.user);
  if (options.auth) args.push('--auth', options.auth);
  if (options.clockStamp) args.push('--clock-stamp');
  if (options.gopFrames !== undefined) args.push('--gop', String(options.gopFrames));
  if (options.codec) args.push('--codec', options.codec);
  if (options.pattern) args.push('--pattern', options.pattern);
  // The password travels in the environment, so that it never shows in `ps`.
  const env = { ...process.env, RTSP_TEST_PASSWORD: options.password ?? '' };
  // stdin stays an open pipe: the server exits when it closes, so it cannot outlive this process.
  const child = spawn(PYTHON, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });

  const lines: string[] = [];
  let stderr = '';
  let sessions = 0;
  let clients = 0;
  let created = 0;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const ready = new Promise<number>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(
          `the test RTSP server did not start (${why}).\n` +
            `It needs Debian's GStreamer RTSP server: apt-get install --no-install-recommends ${RTSP_SERVER_DEBS}\n` +
            `stderr: ${stderr.trim() || '(empty)'}`,
        ),
      );
    };
    const timer = setTimeout(() => fail(`no READY line within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`${PYTHON} could not be run: ${error.message}`));
    // 'close', not 'exit': by then all of stderr (a Python traceback, say) has been read.
    child.once('close', (code, signal) => fail(`it exited with ${signal ?? `code ${code}`}`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const [word, event, count] = line.split(' ');
      if (word === 'READY' && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(Number(event!.split(':').pop()));
      } else if (word === 'SESSION') {
        sessions = Number(count);
        if (event === 'new') created += 1;
      } else if (word === 'CLIENT') {
        clients = Number(count);
      }
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killTimer);
  };

  let port: number;
  try {
    port = await ready;
  } catch (error) {
    await exited;
    throw error;
  }
  return {
    port,
    url: (path = '/cam', credentials?: Credentials) => {
      const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : '';
      return `rtsp://${auth}127.0.0.1:${port}${path}`;
    },
    sessions: () => sessions,
    clients: () => clients,
    sessionsCreated: () => created,
    output: () => [...lines],
    stop,
  };
}
