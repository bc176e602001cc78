/**
 * What the RTSP client code throws for a server it cannot talk to: bytes that are not RTSP, a
 * response or SDP it cannot use, or a request it refuses to send. Callers tell it from their own
 * bugs by class; the message starts with `rtsp: ` so it reads as ours in a log line.
 */
export class RtspError extends Error {
  override readonly name = 'RtspError';

  constructor(problem: string) {
    super(`rtsp: ${problem}`);
  }
}
