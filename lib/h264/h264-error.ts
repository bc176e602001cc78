/**
 * What this library throws for H.264 it cannot read, such as a malformed SPS. The message starts
 * with `h264: ` so it reads as ours in a log line; callers tell it from their own bugs by class.
 */
export class H264Error extends Error {
  override readonly name = 'H264Error';

  constructor(problem: string) {
    super(`h264: ${problem}`);
  }
}
