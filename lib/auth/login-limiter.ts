/**
 * Slows down password guessing per client: a few free attempts, then a lock-out that doubles with
 * each further failure. Bounded in memory: the oldest clients are forgotten first.
 */
export type LimiterPolicy = { freeFailures: number; firstLockMs: number; maxLockMs: number; maxClients: number };

export const LOGIN_POLICY: LimiterPolicy = { freeFailures: 5, firstLockMs: 30_000, maxLockMs: 60 * 60_000, maxClients: 10_000 };

type ClientRecord = { failures: number; lockedUntil: number };

export class LoginLimiter {
  private readonly clients = new Map<string, ClientRecord>();

  constructor(private readonly policy: LimiterPolicy = LOGIN_POLICY) {}

  /** 0 when the client may try now, else how long it must wait. */
  retryAfterMs(client: string, now: number): number {
    const record = this.clients.get(client);
    return record ? Math.max(0, record.lockedUntil - now) : 0;
  }

  recordFailure(client: string, now: number): void {
    const record = this.clients.get(client) ?? { failures: 0, lockedUntil: 0 };
    this.clients.delete(client); // re-inserted last: Map order is the age order
    record.failures += 1;
    const over = record.failures - this.policy.freeFailures;
    if (over >= 0) record.lockedUntil = now + Math.min(this.policy.maxLockMs, this.policy.firstLockMs * 2 ** over);
    this.clients.set(client, record);
    if (this.clients.size > this.policy.maxClients) this.clients.delete(this.clients.keys().next().value!);
  }

  recordSuccess(client: string): void {
    this.clients.delete(client);
  }
}

/**
 * Across all clients: a client address can be forged, so guessing from many "addresses" still
 * meets this slower gate. Its lock stays short, so that it cannot keep the owner out for long.
 */
export const OVERALL_POLICY: LimiterPolicy = { freeFailures: 20, firstLockMs: 10_000, maxLockMs: 60_000, maxClients: 1 };

export class LoginGuard {
  private readonly perClient = new LoginLimiter(LOGIN_POLICY);
  private readonly overall = new LoginLimiter(OVERALL_POLICY);

  retryAfterMs(client: string, now: number): number {
    return Math.max(this.perClient.retryAfterMs(client, now), this.overall.retryAfterMs('*', now));
  }

  recordFailure(client: string, now: number): void {
    this.perClient.recordFailure(client, now);
    this.overall.recordFailure('*', now);
  }

  recordSuccess(client: string): void {
    this.perClient.recordSuccess(client);
  }
}
