/** Frames per second over the last few seconds, from the arrival times of recent frames. */
export class FrameRateMeter {
  private readonly times: number[] = [];

  constructor(
    private readonly windowMs = 5_000,
    /** No frame for this long means nothing is being delivered, whatever came before. */
    private readonly staleAfterMs = 2_000,
  ) {}

  record(now: number): void {
    this.times.push(now);
    this.prune(now);
  }

  rate(now: number): number {
    this.prune(now);
    const first = this.times[0];
    const last = this.times.at(-1);
    if (first === undefined || last === undefined || last === first || now - last > this.staleAfterMs) return 0;
    return Math.round(((this.times.length - 1) * 10_000) / (last - first)) / 10;
  }

  private prune(now: number): void {
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift();
  }
}
