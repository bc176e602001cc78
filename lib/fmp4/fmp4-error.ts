/**
 * What this library throws for a stream it cannot read: not the fragmented MP4 it expects, or
 * cut or corrupt. Callers tell it from their own bugs by class; the message starts with `fmp4: `
 * so it reads as ours in a log line.
 */
export class Fmp4Error extends Error {
  override readonly name = 'Fmp4Error';

  constructor(problem: string) {
    super(`fmp4: ${problem}`);
  }
}
