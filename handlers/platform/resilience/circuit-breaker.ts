// A circuit breaker: after `threshold` consecutive failures it opens for `cooldown`, then lets a
// single trial call through (half-open) whose outcome closes or reopens it. Each call holds a
// permit and settles it once, so a trial that ends without a verdict (its caller left) frees the
// trial slot instead of holding the breaker open for good.

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface Permit {
  /** The upstream answered (a refusal or throttling is an answer too). */
  success(): void;
  /** The upstream failed this call. */
  failure(): void;
  /** The call ended for a reason that says nothing about the upstream. */
  release(): void;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** While open: seconds until the trial call may go. */
  retryAfterSeconds?: number;
}

export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;

  constructor(private readonly threshold: number, private readonly cooldownMs: number, private readonly now: () => number) {}

  /** A permit to call now (the trial, if half-open), or the seconds to wait before asking again. */
  acquire(): Permit | number {
    if (this.failures < this.threshold) return this.permit(false);
    const wait = this.openUntil - this.now();
    if (wait > 0 || this.trialInFlight) return Math.max(1, Math.ceil(wait / 1000));
    this.trialInFlight = true;
    return this.permit(true);
  }

  snapshot(): BreakerSnapshot {
    if (this.failures < this.threshold) return { state: 'closed', consecutiveFailures: this.failures };
    const wait = this.openUntil - this.now();
    return wait > 0
      ? { state: 'open', consecutiveFailures: this.failures, retryAfterSeconds: Math.ceil(wait / 1000) }
      : { state: 'half_open', consecutiveFailures: this.failures };
  }

  private permit(trial: boolean): Permit {
    let settled = false;
    const settle = (failed?: boolean) => {
      if (settled) return;
      settled = true;
      if (trial) this.trialInFlight = false;
      if (failed === false) this.failures = 0;
      else if (failed && ++this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
    };
    return { success: () => settle(false), failure: () => settle(true), release: () => settle() };
  }
}
