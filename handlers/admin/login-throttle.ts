// Slows down password guessing: after FREE_ATTEMPTS consecutive failures for a username, each
// further failure doubles the wait before the next attempt is even checked (capped at MAX_WAIT).
// Kept in memory: a restart forgets it, which is acceptable for one admin process.

const FREE_ATTEMPTS = 5;
const MAX_WAIT_MS = 15 * 60 * 1000;
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; blockedUntil: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before an attempt for this username is allowed; 0 when allowed now. */
  retryAfterSeconds(username: string): number {
    const entry = this.failures.get(username.toLowerCase());
    if (!entry) return 0;
    return Math.max(0, Math.ceil((entry.blockedUntil - this.now()) / 1000));
  }

  recordFailure(username: string): void {
    const key = username.toLowerCase();
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const waitMs = count < FREE_ATTEMPTS ? 0 : Math.min(MAX_WAIT_MS, 1000 * 2 ** (count - FREE_ATTEMPTS));
    this.failures.delete(key); // re-insert so the map stays in least-recently-failed order
    this.failures.set(key, { count, blockedUntil: this.now() + waitMs });
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(username: string): void {
    this.failures.delete(username.toLowerCase());
  }
}
