import { describe, expect, it } from 'vitest';
import { RtspError } from '@/lib/rtsp/rtsp-error';
import { parseSdp, resolveControlUrl, videoTrack } from '@/lib/rtsp/sdp';

// A Hikvision DS-2CD2xxx answer: absolute controls, a private Media_header line, '; ' in fmtp.
const HIKVISION = [
  'v=0',
  'o=- 1109162014219182 1109162014219192 IN IP4 192.168.1.64',
  's=Media Presentation',
  'e=NONE',
  'b=AS:5050',
  't=0 0',
  'a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast&profile=Profile_1',
  'm=video 0 RTP/AVP 96',
  'c=IN IP4 0.0.0.0',
  'b=AS:5000',
  'a=recvonly',
  'a=x-dimensions:1920,1080',
  'a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z00AKZpkA8ARPyzUBAQFAAADA+gAAOpgBA==,aO48gA==',
  'm=audio 0 RTP/AVP 8',
  'c=IN IP4 0.0.0.0',
  'b=AS:50',
  'a=recvonly',
  'a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast&profile=Profile_1',
  'a=rtpmap:8 PCMA/8000',
  'a=Media_header:MEDIAINFO=494D4B48010100000400000100000000000000000000000000000000000000000000000000000000;',
  'a=appversion:1.0',
  '',
].join('\r\n');

// gst-rtsp-server 1.x as tests/fixtures/rtsp-server.py serves it, with Content-Base rtsp://127.0.0.1:8554/cam/.
const GSTREAMER = [
  'v=0',
  'o=- 18420904780836963872 1 IN IP4 127.0.0.1',
  's=Session streamed with GStreamer',
  'i=rtsp-server',
  't=0 0',
  'a=tool:GStreamer',
  'a=type:broadcast',
  'a=control:*',
  'a=range:npt=now-',
  'm=video 0 RTP/AVP 96',
  'c=IN IP4 0.0.0.0',
  'b=AS:2097',
  'a=rtpmap:96 H264/90000',
  'a=framerate:5',
  'a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAFtoCgL/lwFqDAwNSgAAAAwCAAAAFR4sXUA==,aM48gA==;profile-level-id=42c016;level-asymmetry-allowed=1',
  'a=control:stream=0',
  'a=ts-refclk:local',
  'a=mediaclk:sender',
  'a=ssrc:397246461 cname:user2323113193@host-e73e9db7',
  '',
].join('\r\n');

// A cheap camera: LF line ends, spaces around lines, relative trackID controls, H.265 and no session control.
const RELATIVE_H265 = [
  'v=0',
  'o=- 0 0 IN IP4 10.0.0.9',
  's=IPC  ',
  'this line is no SDP',
  'm=audio 0 RTP/AVP 97',
  'a=rtpmap:97 MPEG4-GENERIC/16000/1',
  'a=control:trackID=0',
  'm=video 0 RTP/AVP 98   ',
  ' a=rtpmap:98 h265/90000 ',
  'a=fmtp:98 Sprop-VPS=QAEMAf//AWAAAAMAkAAAAwAAAwBdlZgJ;sprop-sps=QgEBAWAAAAMAkAAAAwAAAwBdoAKAgC0WWVmkkyvAQAAA+kAAF3AC;sprop-pps=RAHBcrRiQA==;',
  'a=control:trackID=1 ',
  '',
].join('\n');

describe('parseSdp', () => {
  it('reads a Hikvision description: media, formats, absolute controls, rtpmap and fmtp', () => {
    const sdp = parseSdp(HIKVISION);
    expect(sdp.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast&profile=Profile_1');
    expect(sdp.media.map(({ type, port, protocol, formats }) => ({ type, port, protocol, formats }))).toEqual([
      { type: 'video', port: 0, protocol: 'RTP/AVP', formats: [96] },
      { type: 'audio', port: 0, protocol: 'RTP/AVP', formats: [8] },
    ]);
    const [video, audio] = sdp.media;
    expect(video?.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1');
    expect(video?.rtpmap.get(96)).toEqual({ encoding: 'H264', clockRate: 90_000 });
    expect(Object.fromEntries(video?.fmtp.get(96) ?? [])).toEqual({
      'profile-level-id': '420029',
      'packetization-mode': '1',
      'sprop-parameter-sets': 'Z00AKZpkA8ARPyzUBAQFAAADA+gAAOpgBA==,aO48gA==',
    });
    expect(audio?.rtpmap.get(8)).toEqual({ encoding: 'PCMA', clockRate: 8000 });
    expect(audio?.fmtp.size).toBe(0);
  });

  it('keeps sprop-parameter-sets whole, padding and comma included, in a GStreamer description', () => {
    const [video] = parseSdp(GSTREAMER).media;
    expect(video?.fmtp.get(96)?.get('sprop-parameter-sets')).toBe('Z0LAFtoCgL/lwFqDAwNSgAAAAwCAAAAFR4sXUA==,aM48gA==');
    expect(video?.fmtp.get(96)?.get('level-asymmetry-allowed')).toBe('1');
    expect(video?.control).toBe('stream=0');
  });

  it('tolerates LF line ends, padding, unknown lines; lower-cases fmtp names and upper-cases encodings', () => {
    const sdp = parseSdp(RELATIVE_H265);
    expect(sdp.control).toBeUndefined();
    expect(sdp.media.map((media) => media.control)).toEqual(['trackID=0', 'trackID=1']);
    expect(sdp.media[0]?.rtpmap.get(97)).toEqual({ encoding: 'MPEG4-GENERIC', clockRate: 16_000 });
    expect(sdp.media[1]?.formats).toEqual([98]);
    expect(sdp.media[1]?.rtpmap.get(98)).toEqual({ encoding: 'H265', clockRate: 90_000 });
    expect([...(sdp.media[1]?.fmtp.get(98)?.keys() ?? [])]).toEqual(['sprop-vps', 'sprop-sps', 'sprop-pps']);
    expect(sdp.media[1]?.fmtp.get(98)?.get('sprop-pps')).toBe('RAHBcrRiQA==');
  });

  it('credits attributes after a malformed m= line to it, not to the media before', () => {
    const sdp = parseSdp('v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\nm=\na=rtpmap:96 JPEG/90000\n');
    expect(sdp.media.map((media) => media.rtpmap.get(96)?.encoding)).toEqual(['H264', 'JPEG']);
  });

  it('throws RtspError when no media is described at all', () => {
    expect(() => parseSdp('v=0\r\ns=No media\r\nt=0 0\r\n')).toThrow(RtspError);
    expect(() => parseSdp('')).toThrow('rtsp: the session description has no m= line');
  });
});

describe('videoTrack', () => {
  it('takes the Hikvision video with its absolute control as is, whatever the base', () => {
    const track = videoTrack(parseSdp(HIKVISION), 'rtsp://admin:secret@192.168.1.64:554/Streaming/Channels/101');
    expect(track).toEqual({
      payloadType: 96,
      encoding: 'H264',
      clockRate: 90_000,
      fmtp: parseSdp(HIKVISION).media[0]?.fmtp.get(96),
      controlUrl: 'rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1',
    });
  });

  it('resolves GStreamer stream=0 against its Content-Base', () => {
    expect(videoTrack(parseSdp(GSTREAMER), 'rtsp://127.0.0.1:8554/cam/')?.controlUrl).toBe('rtsp://127.0.0.1:8554/cam/stream=0');
  });

  it('appends trackID=1 to a base without a trailing slash, keeping its credentials, as cameras expect', () => {
    const track = videoTrack(parseSdp(RELATIVE_H265), 'rtsp://user:p%40ss@10.0.0.9:554/cam');
    expect(track?.payloadType).toBe(98);
    expect(track?.encoding).toBe('H265');
    expect(track?.controlUrl).toBe('rtsp://user:p%40ss@10.0.0.9:554/cam/trackID=1');
  });

  it('skips a video whose payload type has no rtpmap, and takes the static JPEG type without one', () => {
    const sdp = parseSdp('v=0\nm=video 0 RTP/AVP 96\na=control:track1\nm=video 0 RTP/AVP 26\na=control:track2\n');
    expect(videoTrack(sdp, 'rtsp://cam/live')).toEqual({ payloadType: 26, encoding: 'JPEG', clockRate: 90_000, fmtp: new Map(), controlUrl: 'rtsp://cam/live/track2' });
  });

  it('takes the first payload type of a video line that has an rtpmap', () => {
    const sdp = parseSdp('v=0\nm=video 0 RTP/AVP 96 97\na=rtpmap:97 H264/90000\na=fmtp:97 packetization-mode=1\n');
    const track = videoTrack(sdp, 'rtsp://cam/live');
    expect([track?.payloadType, track?.fmtp.get('packetization-mode'), track?.controlUrl]).toEqual([97, '1', 'rtsp://cam/live']);
  });

  it('finds no track in a description with audio only', () => {
    expect(videoTrack(parseSdp('v=0\nm=audio 0 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n'), 'rtsp://cam/')).toBeUndefined();
  });
});

describe('resolveControlUrl', () => {
  it.each([
    ['no control', undefined, 'rtsp://cam/live', 'rtsp://cam/live'],
    ['*', '*', 'rtsp://u:p@cam/live/', 'rtsp://u:p@cam/live/'],
    ['an absolute control, given no credentials', 'rtsp://10.0.0.2/live/track1', 'rtsp://u:p@cam/live', 'rtsp://10.0.0.2/live/track1'],
    ['a relative control on a base with a slash', 'trackID=1', 'rtsp://cam/live/', 'rtsp://cam/live/trackID=1'],
    ['a relative control on a base without one', 'trackID=1', 'rtsp://cam/live', 'rtsp://cam/live/trackID=1'],
    ['a control starting with a slash', '/track1', 'rtsp://cam/live', 'rtsp://cam/live/track1'],
    ['a slash on both sides', '/track1', 'rtsp://cam/live/', 'rtsp://cam/live/track1'],
    // Dahua: the query ends the Content-Base, and SETUP goes to the control after it.
    ['a Dahua base ending in query and slash', 'trackID=0', 'rtsp://cam/cam/realmonitor?channel=1&subtype=0/', 'rtsp://cam/cam/realmonitor?channel=1&subtype=0/trackID=0'],
    ['a base ending in a query', 'trackID=1', 'rtsp://cam/live?channel=1', 'rtsp://cam/live?channel=1/trackID=1'],
  ])('resolves %s', (_, control, base, resolved) => {
    expect(resolveControlUrl(control, base)).toBe(resolved);
  });
});
