import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { authorization, parseAuthenticate, pickChallenge, type AuthChallenge } from './rtsp-auth';
import { RtspConnection } from './rtsp-connection';
import { RtspError } from './rtsp-error';
import { contentBase, parseInterleavedChannels, parseSession } from './rtsp-headers';
import type { RtspResponse } from './rtsp-stream-parser';
import { parseSdp, videoTrack, type VideoTrack } from './sdp';

export type RtspSessionTiming = {
  /** For the TCP connection, and for each answer of the camera. */
  timeoutMs: number;
};

export type RtspSessionEvents = {
  /** One RTP packet of the video track: a view valid only during the call. */
  onRtp(packet: Uint8Array): void;
  /** The session is over: the camera closed it (no error), or it broke. Not called after close(). */
  onClosed(error: Error | undefined): void;
};

export type ConnectFunction = (host: string, port: number) => Socket;

const DEFAULT_RTSP_PORT = 554;

/**
 * A viewer's session with an RTSP camera, RTP interleaved on the one TCP connection (no UDP
 * ports to open, no firewall or NAT in the way): DESCRIBE, then the video track's SETUP, then
 * PLAY, with Basic or Digest authentication as the camera asks, and a keep-alive so that the
 * camera does not time the session out. Errors are worded as ffmpeg words them ("method DESCRIBE
 * failed: 401 Unauthorized", "Connection refused"), so that a failure reads the same whichever
 * client read the camera; none of them holds the URL.
 */
export class RtspSession {
  private connection: RtspConnection | undefined;
  private readonly requestUrl: string;
  private readonly credentials: { username: string; password: string } | undefined;
  private challenge: AuthChallenge | undefined;
  private nonceCount = 0;
  private readonly cnonce = randomBytes(8).toString('hex');
  private sessionId: string | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private aggregateUrl: string;
  private rtpChannel = 0;
  private closedByUs = false;

  constructor(
    url: string,
    private readonly events: RtspSessionEvents,
    private readonly timing: RtspSessionTiming,
    private readonly connectSocket: ConnectFunction = (host, port) => connect({ host, port, noDelay: true }),
  ) {
    // A URL that cannot be read fails describe(), as any other camera problem, not the constructor.
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    this.credentials = parsed && (parsed.username || parsed.password) ? { username: decoded(parsed.username), password: decoded(parsed.password) } : undefined;
    this.requestUrl = parsed ? withoutCredentials(url) : '';
    this.aggregateUrl = this.requestUrl;
  }

  /** Connects and asks for the camera's description: its video track, whatever the codec. */
  async describe(): Promise<VideoTrack> {
    if (!this.requestUrl) throw new RtspError('the camera URL cannot be read (Invalid argument)');
    const connection = await this.open();
    const response = await this.send(connection, 'DESCRIBE', this.requestUrl, [['Accept', 'application/sdp']]);
    const base = contentBase(response, this.requestUrl);
    const sdp = parseSdp(new TextDecoder().decode(response.body));
    const track = videoTrack(sdp, base);
    if (!track) throw new RtspError('the camera describes no video stream (Invalid data found when processing input)');
    this.aggregateUrl = sdp.control && /^rtsps?:\/\//i.test(sdp.control) ? withoutCredentials(sdp.control) : withoutCredentials(base);
    return { ...track, controlUrl: withoutCredentials(track.controlUrl) };
  }

  /** Sets the track up over the connection and starts it: RTP flows to onRtp from here on. */
  async play(track: VideoTrack): Promise<void> {
    const connection = this.connection;
    if (!connection) throw new RtspError('describe() first');
    const setup = await this.send(connection, 'SETUP', track.controlUrl, [['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1']]);
    const session = setup.headers.get('session');
    if (!session) throw new RtspError('the camera set up no session (method SETUP failed: no Session header)');
    const { id, timeoutSeconds } = parseSession(session);
    this.sessionId = id;
    const channels = parseInterleavedChannels(setup.headers.get('transport') ?? '');
    if (!channels) throw new RtspError('the camera cannot send RTP over TCP (method SETUP failed: 461 Unsupported transport)');
    this.rtpChannel = channels[0];
    await this.send(connection, 'PLAY', this.aggregateUrl, [['Range', 'npt=0.000-']]);
    // Well inside the session's timeout, whatever the camera's clock or load.
    const everyMs = Math.max(5, timeoutSeconds / 2) * 1000;
    this.keepAlive = setInterval(() => {
      this.send(connection, 'OPTIONS', this.aggregateUrl).catch(() => {
        // A lost keep-alive shows as a closed connection or as the stream's stall: both are handled there.
      });
    }, everyMs);
    this.keepAlive.unref?.();
  }

  /** Ends the session (a TEARDOWN if it played) and the connection; nothing is reported after. */
  close(): void {
    if (this.closedByUs) return;
    this.closedByUs = true;
    clearInterval(this.keepAlive);
    const connection = this.connection;
    if (!connection) return;
    if (this.sessionId) {
      // Polite, not awaited: a camera that does not answer must not hold a restart up.
      this.send(connection, 'TEARDOWN', this.aggregateUrl).catch(() => {}).finally(() => connection.destroy());
      setTimeout(() => connection.destroy(), 1_000).unref?.();
    } else {
      connection.destroy();
    }
  }

  private open(): Promise<RtspConnection> {
    const url = new URL(this.requestUrl);
    if (url.protocol !== 'rtsp:') return Promise.reject(new RtspError(`${url.protocol} is not read by the built-in client`));
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port ? Number(url.port) : DEFAULT_RTSP_PORT;
    return new Promise((resolve, reject) => {
      const socket = this.connectSocket(host, port);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RtspError('Connection timed out'));
      }, this.timing.timeoutMs);
      timer.unref?.();
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new RtspError(`${describeSocketError(error)}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        const connection = new RtspConnection(
          socket,
          {
            onInterleaved: (channel, payload) => {
              if (channel === this.rtpChannel) this.events.onRtp(payload);
            },
            onClosed: (error) => {
              clearInterval(this.keepAlive);
              if (this.closedByUs) return;
              this.events.onClosed(error instanceof RtspError || !error ? error : new RtspError(`${describeSocketError(error)}`));
            },
          },
          this.timing.timeoutMs,
        );
        this.connection = connection;
        resolve(connection);
      });
    });
  }

  /** One request, signed when the camera asked for credentials; a first 401 is answered once with them. */
  private async send(connection: RtspConnection, method: string, url: string, headers: [string, string][] = []): Promise<RtspResponse> {
    const withSession: [string, string][] = this.sessionId ? [...headers, ['Session', this.sessionId]] : headers;
    let response = await connection.request(method, url, this.signed(method, url, withSession));
    if (response.status === 401 && this.credentials) {
      const challenge = pickChallenge(parseAuthenticate(response.headers.all('www-authenticate')));
      const retry = challenge && (!this.challenge || challenge.stale || challenge.nonce !== this.challenge.nonce);
      if (retry) {
        this.challenge = challenge;
        this.nonceCount = 0;
        response = await connection.request(method, url, this.signed(method, url, withSession));
      }
    }
    if (response.status < 200 || response.status >= 300) throw new RtspError(`method ${method} failed: ${response.status} ${response.reason}`);
    return response;
  }

  private signed(method: string, url: string, headers: [string, string][]): [string, string][] {
    if (!this.challenge || !this.credentials) return headers;
    this.nonceCount += 1;
    return [...headers, ['Authorization', authorization(this.challenge, this.credentials, method, url, this.nonceCount, this.cnonce)]];
  }
}

/** A URL's user or password as typed: "%zz" is not an escape, and stays as it is. */
function decoded(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** A socket's error in ffmpeg's words, which the failure classifier knows. */
function describeSocketError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'Connection refused';
  if (code === 'ETIMEDOUT') return 'Connection timed out';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Failed to resolve hostname: Name or service not known';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'No route to host';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'Connection reset by peer';
  return error.message;
}
