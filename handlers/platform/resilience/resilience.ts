// Calls to upstreams (model providers today; document extractors, vector indexes, embedders next):
// a deadline for the whole call, retries of retryable failures only (throttled, unavailable,
// timed-out attempts) with full-jitter exponential backoff that honours the upstream's Retry-After,
// and circuit breakers, per upstream endpoint and per resource behind it (a model, an index), that
// fail fast while either keeps failing. Failures leave as ProblemErrors, with a retry hint where one
// applies; the HTTP layer turns them into responses.
import { setTimeout as sleep } from 'node:timers/promises';
import { ProblemError } from '../problems.ts';
import { isAbort, UpstreamError, type UpstreamFailureKind } from './upstream-error.ts';
import { CircuitBreaker, type BreakerSnapshot, type Permit } from './circuit-breaker.ts';

export interface ResilienceOptions {
  /** The deadline of one call, retries included. */
  timeoutMs: number;
  maxRetries: number;
  /** Backoff base: attempt n waits up to base · 2^n (with jitter). */
  backoffBaseMs?: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
  now?: () => number;
  /** What the upstreams are, in the details of failures that name none (default "upstream service"). */
  upstreamNoun?: string;
}

const RETRYABLE = new Set<UpstreamFailureKind>(['throttled', 'unavailable', 'unreachable', 'timeout']);
/**
 * Which breaker a failure counts against: no connection is the endpoint's fault; a failed, late or
 * unreadable answer is the resource's (a provider may fail one model and serve the others). A
 * refused or throttled call is an answer, and counts against neither.
 */
const BLAME: Partial<Record<UpstreamFailureKind, 'endpoint' | 'model'>> = {
  unreachable: 'endpoint', unavailable: 'model', timeout: 'model', bad_response: 'model',
};

/** One verdict for both breakers: an answer (undefined), no verdict (null), or the upstream's failure. */
function settle(permits: Record<'endpoint' | 'model', Permit>, failure: UpstreamError | undefined | null): void {
  const blame = failure ? BLAME[failure.kind] : undefined;
  for (const scope of ['endpoint', 'model'] as const) {
    if (failure === null) permits[scope].release();
    else if (!blame) permits[scope].success();
    else if (blame === scope) permits[scope].failure();
    else permits[scope].release();
  }
}

/**
 * What a call is made to: one upstream endpoint (`provider`: "bedrock", "openai", "textract", …) and
 * one resource behind it (`model`: a model name, an index, …), each with a breaker of its own.
 */
export interface CallTarget<P extends string = string> {
  provider: P;
  model: string;
}

export interface BreakerReport<P extends string = string> extends BreakerSnapshot {
  provider: P;
  /** Absent for the endpoint's own breaker. */
  model?: string;
}

export class Resilience<P extends string = string> {
  private readonly breakers = new Map<string, { target: { provider: P; model?: string }; breaker: CircuitBreaker }>();
  private readonly backoffBaseMs: number;
  private readonly now: () => number;
  private readonly noun: string;

  constructor(private readonly options: ResilienceOptions) {
    this.backoffBaseMs = options.backoffBaseMs ?? 200;
    this.now = options.now ?? Date.now;
    this.noun = options.upstreamNoun ?? 'upstream service';
  }

  /** Every breaker that has seen a call, endpoints first. */
  report(): BreakerReport<P>[] {
    return [...this.breakers.values()]
      .map(({ target, breaker }) => ({ ...target, ...breaker.snapshot() }))
      .sort((a, b) => a.provider.localeCompare(b.provider) || (a.model ?? '').localeCompare(b.model ?? ''));
  }

  private breaker(provider: P, model?: string): CircuitBreaker {
    const key = model === undefined ? provider : `${provider}\u0000${model}`;
    let entry = this.breakers.get(key);
    if (!entry) {
      const breaker = new CircuitBreaker(this.options.breakerThreshold ?? 5, this.options.breakerCooldownMs ?? 30_000, this.now);
      entry = { target: { provider, ...(model !== undefined && { model }) }, breaker };
      this.breakers.set(key, entry);
    }
    return entry.breaker;
  }

  /** Permits from the endpoint's and the resource's breakers, or PROVIDER_UNAVAILABLE (with a retry hint) while either is open. */
  private admit({ provider, model }: CallTarget<P>): Record<'endpoint' | 'model', Permit> {
    const endpoint = this.breaker(provider).acquire();
    if (typeof endpoint === 'number') throw paused(`The ${provider} provider keeps failing`, endpoint);
    const forModel = this.breaker(provider, model).acquire();
    if (typeof forModel === 'number') {
      endpoint.release();
      throw paused(`The ${provider} provider keeps failing for ${model}`, forModel);
    }
    return { endpoint, model: forModel };
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or the deadline passes. `signal` is the
   * caller's (a client that went away); each attempt gets one that also fires at the deadline.
   * A caller that leaves is never held against the upstream: its call settles no breaker.
   */
  async call<T>(target: CallTarget<P>, signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { result, permits } = await this.run(target, signal, attempt);
    permits.endpoint.success();
    permits.model.success();
    return result;
  }

  /**
   * Like `call`, for a stream: `attempt` opens it, and the breakers keep their permits until the
   * stream ends, so a stream the upstream cuts mid-way counts as its failure, not as an answer.
   */
  async open<T>(target: CallTarget<P>, signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<T>) {
    const { result, permits } = await this.run(target, signal, attempt);
    return {
      opened: result,
      /** Settles the stream: finished, cut by the upstream (`fault`), or ended for a reason of ours (`'released'`). */
      end: (outcome: 'finished' | 'released' | UpstreamError) => {
        if (outcome === 'finished') return settle(permits, undefined);
        if (outcome === 'released') return settle(permits, null);
        settle(permits, outcome);
      },
    };
  }

  private async run<T>(target: CallTarget<P>, signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<T>) {
    const started = this.now();
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const combined = AbortSignal.any([signal, deadline]);
    // The first signal to fire gives `combined` its reason: that tells a caller's abort from the deadline.
    const callerLeft = () => combined.aborted && combined.reason !== deadline.reason;
    for (let retry = 0; ; retry++) {
      const permits = this.admit(target);
      let failure: UpstreamError;
      try {
        return { result: await attempt(combined), permits };
      } catch (error) {
        if (callerLeft()) {
          permits.endpoint.release();
          permits.model.release();
          throw cancelled(signal);
        }
        failure = this.classify(error, deadline);
      }
      settle(permits, failure);
      const backoff = Math.random() * this.backoffBaseMs * 2 ** retry;
      const delay = Math.max(backoff, (failure.retryAfterSeconds ?? 0) * 1000);
      const remaining = this.options.timeoutMs - (this.now() - started);
      if (!RETRYABLE.has(failure.kind) || retry >= this.options.maxRetries || delay >= remaining) {
        throw upstreamProblem(failure, target.provider, this.options.timeoutMs);
      }
      await sleep(delay, undefined, { signal: combined }).catch(() => undefined);
      if (callerLeft()) throw cancelled(signal);
      if (combined.aborted) throw upstreamProblem(new UpstreamError('timeout', ''), target.provider, this.options.timeoutMs);
    }
  }

  private classify(error: unknown, deadline: AbortSignal): UpstreamError {
    if (deadline.aborted) return new UpstreamError('timeout', `The ${this.noun} did not answer in time.`);
    if (error instanceof UpstreamError) return error;
    if (isAbort(error)) return new UpstreamError('timeout', `The ${this.noun} did not answer in time.`);
    return new UpstreamError('unreachable', `The ${this.noun} could not be reached.`);
  }
}

const paused = (what: string, waitSeconds: number) =>
  new ProblemError('PROVIDER_UNAVAILABLE', `${what}; calls are paused for ${waitSeconds} s.`, { retryAfterSeconds: waitSeconds });

/** The caller's own abort, passed on as is: nobody is left to answer, and no upstream is to blame. */
const cancelled = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('The caller went away.', 'AbortError');

/** The problem a failed upstream call ends in (its last failure, once retrying is spent or pointless). */
export function upstreamProblem(failure: UpstreamError, provider: string, timeoutMs?: number): ProblemError {
  switch (failure.kind) {
    case 'rejected':
      return new ProblemError('UPSTREAM_REJECTED', failure.detail || `The ${provider} provider rejected the request.`);
    case 'throttled':
      return new ProblemError('UPSTREAM_THROTTLED', `The ${provider} provider is throttling requests; retry later.`, { retryAfterSeconds: failure.retryAfterSeconds });
    case 'timeout':
      return new ProblemError('UPSTREAM_TIMEOUT', `The ${provider} provider did not answer${timeoutMs ? ` within ${timeoutMs / 1000} s` : ' in time'}.`);
    default:
      return new ProblemError('UPSTREAM_ERROR', failure.detail || `The ${provider} provider failed to answer.`);
  }
}
