/** Frames per second over the last few seconds, from the arrival times of recent frames. */
export class FrameRateMeter {
  private readonly times: number[] = [];

  constructor(private readonly windowMs = 5_000) {}

  record(now: number): void {
    this.times.push(now);
    this.prune(now);
  }

  rate(now: number): number {
    this.prune(now);
    const first = this.times[0];
    if (first === undefined || this.times.length < 2) return 0;
    const span = Math.max(now - first, 1);
    return Math.round(((this.times.length - 1) * 1000 * 10) / span) / 10;
  }

  private prune(now: number): void {
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift();
  }
}
