/** Bits per second over the last few seconds, from the sizes and arrival times of recent frames. */
export class ByteRateMeter {
  private readonly samples: { at: number; bytes: number }[] = [];
  private total = 0;

  constructor(private readonly windowMs = 5_000) {}

  record(now: number, bytes: number): void {
    this.samples.push({ at: now, bytes });
    this.total += bytes;
    this.prune(now);
  }

  bitsPerSecond(now: number): number {
    this.prune(now);
    const first = this.samples[0];
    if (!first || now - first.at <= 0) return 0;
    return Math.round((this.total * 8 * 1000) / Math.max(now - first.at, 1000));
  }

  private prune(now: number): void {
    while (this.samples.length > 0 && now - this.samples[0]!.at > this.windowMs) this.total -= this.samples.shift()!.bytes;
  }
}
