/**
 * Reads the session description (RFC 4566) a camera answers DESCRIBE with, as far as a client
 * needs it to SETUP the video: media lines, their payload types, rtpmap, fmtp and control URLs.
 * Pure. Tolerant by design: cameras add private attributes (a=Media_header, a=x-dimensions…),
 * end lines with LF or CRLF and pad them with spaces, so whatever is not understood is skipped.
 */
import { RtspError } from './rtsp-error';

export type SdpMedia = {
  type: string;
  port: number;
  protocol: string;
  formats: number[];
  control: string | undefined;
  rtpmap: Map<number, { encoding: string; clockRate: number }>;
  /** Parameter names lower case; values as given (sprop-parameter-sets holds '=' padding and commas). */
  fmtp: Map<number, Map<string, string>>;
};

export type SessionDescription = { control: string | undefined; media: SdpMedia[] };

export type VideoTrack = { payloadType: number; encoding: string; clockRate: number; fmtp: Map<string, string>; controlUrl: string };

// RFC 3551 §6: the static video type a camera may send without an rtpmap line.
const STATIC_JPEG = 26;
const VIDEO_CLOCK_RATE = 90_000;

export function parseSdp(text: string): SessionDescription {
  const session: SessionDescription = { control: undefined, media: [] };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.length < 2 || line[1] !== '=') continue;
    const value = line.slice(2);
    const media = session.media[session.media.length - 1];
    if (line[0] === 'm') session.media.push(mediaOf(value));
    else if (line[0] === 'a') readAttribute(value, media, session);
  }
  if (session.media.length === 0) throw new RtspError('the session description has no m= line: the server describes no media');
  return session;
}

/**
 * The first video stream the client can depacketise: the first m=video whose payload type has an
 * rtpmap (or is the static JPEG type, which needs none).
 */
export function videoTrack(sdp: SessionDescription, baseUrl: string): VideoTrack | undefined {
  for (const media of sdp.media) {
    if (media.type !== 'video') continue;
    for (const payloadType of media.formats) {
      const map = media.rtpmap.get(payloadType) ?? (payloadType === STATIC_JPEG ? { encoding: 'JPEG', clockRate: VIDEO_CLOCK_RATE } : undefined);
      if (!map) continue;
      return {
        payloadType,
        encoding: map.encoding,
        clockRate: map.clockRate,
        fmtp: media.fmtp.get(payloadType) ?? new Map(),
        controlUrl: resolveControlUrl(media.control, baseUrl),
      };
    }
  }
  return undefined;
}

/**
 * The URL to send a request for `control` to (RFC 2326 C.1.1), also for the session-level control
 * of an aggregate PLAY. An absolute URL is used as is; `*` or none means the base itself; anything
 * else is appended to the base, with a `/` between unless one is there already.
 *
 * Appending rather than resolving as RFC 3986 would is what ffmpeg and go2rtc do, and what cameras
 * expect: `trackID=1` on a base of `rtsp://host/cam` must give `rtsp://host/cam/trackID=1`, where
 * strict resolution would replace `cam`. For the same reason a query stays where the base has it
 * and the control goes after it, as in ffmpeg and go2rtc: Dahua's Content-Base is
 * `rtsp://host/cam/realmonitor?channel=1&subtype=0/` and it wants SETUP on
 * `…?channel=1&subtype=0/trackID=0`. The base is never otherwise altered, so any credentials in it
 * stay, and none are added to an absolute control.
 */
export function resolveControlUrl(control: string | undefined, baseUrl: string): string {
  if (control === undefined || control === '' || control === '*') return baseUrl;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(control)) return control;
  // One slash between the two, however many they bring (go2rtc issue 1236: controls like `/track1`).
  const baseEndsInSlash = baseUrl.endsWith('/');
  const controlStartsWithSlash = control.startsWith('/');
  if (baseEndsInSlash && controlStartsWithSlash) return baseUrl + control.slice(1);
  if (baseEndsInSlash || controlStartsWithSlash) return baseUrl + control;
  return `${baseUrl}/${control}`;
}

// m=<media> <port>[/<count>] <proto> <fmt> … (RFC 4566 §5.14). A malformed line still opens a
// media section, so that the attributes after it are not credited to the one before.
function mediaOf(value: string): SdpMedia {
  const [type = '', port = '', protocol = '', ...formats] = value.split(/\s+/);
  return {
    type: type.toLowerCase(),
    port: Number.parseInt(port, 10) || 0,
    protocol,
    formats: formats.filter((format) => /^\d+$/.test(format)).map(Number),
    control: undefined,
    rtpmap: new Map(),
    fmtp: new Map(),
  };
}

function readAttribute(value: string, media: SdpMedia | undefined, session: SessionDescription): void {
  const colon = value.indexOf(':');
  if (colon < 0) return;
  const name = value.slice(0, colon).toLowerCase();
  const content = value.slice(colon + 1).trim();
  if (name === 'control') {
    if (media) media.control = content;
    else session.control = content;
  } else if (media && name === 'rtpmap') {
    readRtpmap(content, media);
  } else if (media && name === 'fmtp') {
    readFmtp(content, media);
  }
}

// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]
function readRtpmap(content: string, media: SdpMedia): void {
  const match = /^(\d+)\s+([^/\s]+)\/(\d+)/.exec(content);
  if (!match) return;
  media.rtpmap.set(Number(match[1]), { encoding: match[2]!.toUpperCase(), clockRate: Number(match[3]) });
}

// a=fmtp:<payload type> name=value;name=value. Only the first '=' splits: values hold base64.
function readFmtp(content: string, media: SdpMedia): void {
  const match = /^(\d+)\s+(.*)$/.exec(content);
  if (!match) return;
  const parameters = new Map<string, string>();
  for (const part of match[2]!.split(';')) {
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (name === '') continue;
    parameters.set(name, equals < 0 ? '' : part.slice(equals + 1).trim());
  }
  media.fmtp.set(Number(match[1]), parameters);
}
