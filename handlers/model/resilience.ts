// Calls to providers: a deadline for the whole call, retries of retryable failures only (throttled,
// unavailable, timed-out attempts) with full-jitter exponential backoff that honours Retry-After,
// and a circuit breaker per provider that fails fast while the provider keeps failing.
import { setTimeout as sleep } from 'node:timers/promises';
import { ProblemError } from '../platform/http/problem.ts';
import { isAbort, ProviderError } from './providers/provider.ts';

export interface ResilienceOptions {
  /** The deadline of one call, retries included. */
  timeoutMs: number;
  maxRetries: number;
  /** Backoff base: attempt n waits up to base · 2^n (with jitter). */
  backoffBaseMs?: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
  now?: () => number;
}

/** Opens after `threshold` consecutive failures; after `cooldown` lets one trial call through. */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;

  constructor(private readonly threshold: number, private readonly cooldownMs: number, private readonly now: () => number) {}

  /** Seconds until a call may be tried, 0 if one may go now (and then counts as the trial). */
  acquire(): number {
    if (this.failures < this.threshold) return 0;
    const wait = this.openUntil - this.now();
    if (wait > 0 || this.trialInFlight) return Math.max(1, Math.ceil(wait / 1000));
    this.trialInFlight = true;
    return 0;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    this.trialInFlight = false;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
  }
}

const RETRYABLE = new Set(['throttled', 'unavailable', 'timeout']);
/** Failures that say the provider is unhealthy (a rejected or throttled call does not). */
const UNHEALTHY = new Set(['unavailable', 'timeout', 'bad_response']);

export class Resilience {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly backoffBaseMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ResilienceOptions) {
    this.backoffBaseMs = options.backoffBaseMs ?? 200;
    this.now = options.now ?? Date.now;
  }

  private breaker(provider: string): CircuitBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options.breakerThreshold ?? 5, this.options.breakerCooldownMs ?? 30_000, this.now);
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or the deadline passes. `signal` is the
   * caller's (a client that went away); each attempt gets one that also fires at the deadline.
   */
  async call<T>(provider: string, signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const started = this.now();
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const combined = AbortSignal.any([signal, deadline]);
    const breaker = this.breaker(provider);
    for (let retry = 0; ; retry++) {
      const wait = breaker.acquire();
      if (wait > 0) {
        throw new ProblemError('PROVIDER_UNAVAILABLE', `The ${provider} provider keeps failing; calls to it are paused for ${wait} s.`, {
          headers: { 'retry-after': String(wait) },
        });
      }
      let failure: ProviderError;
      try {
        const result = await attempt(combined);
        breaker.success();
        return result;
      } catch (error) {
        failure = this.classify(error, deadline);
      }
      if (UNHEALTHY.has(failure.kind)) breaker.failure();
      else breaker.success();
      const backoff = Math.random() * this.backoffBaseMs * 2 ** retry;
      const delay = Math.max(backoff, (failure.retryAfterSeconds ?? 0) * 1000);
      const remaining = this.options.timeoutMs - (this.now() - started);
      if (signal.aborted || !RETRYABLE.has(failure.kind) || retry >= this.options.maxRetries || delay >= remaining) {
        throw toProblem(failure, provider, this.options.timeoutMs);
      }
      await sleep(delay, undefined, { signal: combined }).catch(() => undefined);
      if (combined.aborted) throw toProblem(new ProviderError('timeout', ''), provider, this.options.timeoutMs);
    }
  }

  private classify(error: unknown, deadline: AbortSignal): ProviderError {
    if (error instanceof ProviderError) return error;
    if (deadline.aborted || isAbort(error)) return new ProviderError('timeout', 'The model provider did not answer in time.');
    return new ProviderError('unavailable', 'The model provider could not be reached.');
  }
}

export function toProblem(failure: ProviderError, provider: string, timeoutMs?: number): ProblemError {
  const retry: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(Math.ceil(failure.retryAfterSeconds)) };
  switch (failure.kind) {
    case 'rejected':
      return new ProblemError('UPSTREAM_REJECTED', failure.detail || `The ${provider} provider rejected the request.`);
    case 'throttled':
      return new ProblemError('UPSTREAM_THROTTLED', `The ${provider} provider is throttling requests; retry later.`, { headers: retry });
    case 'timeout':
      return new ProblemError('UPSTREAM_TIMEOUT', `The ${provider} provider did not answer${timeoutMs ? ` within ${timeoutMs / 1000} s` : ' in time'}.`);
    default:
      return new ProblemError('UPSTREAM_ERROR', failure.detail || `The ${provider} provider failed to answer.`);
  }
}
