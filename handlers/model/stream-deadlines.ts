// A stream's own deadlines. Opening it (up to its first event) is an ordinary call, under the
// whole-call deadline; once it flows, a stream that keeps producing may outlive that deadline, so
// it is bounded instead by an idle timeout between events and a longer total deadline.
import { ProblemError } from '../platform/problems.ts';
import { ProviderError } from './providers/provider.ts';
import { upstreamProblem } from '../platform/resilience/resilience.ts';
import { UpstreamError } from '../platform/resilience/upstream-error.ts';

export interface StreamTimeouts {
  /** Longest wait for the next event once the stream has begun. */
  idleMs: number;
  /** Longest a stream may take, from the request to its last event. */
  totalMs: number;
}

export class StreamDeadlines {
  private readonly controller = new AbortController();
  private readonly total: NodeJS.Timeout;
  private idle: NodeJS.Timeout | undefined;
  private unfollow = () => {};
  private expired: 'idle' | 'total' | undefined;
  /** Give this to the provider: it fires when the caller leaves or a deadline passes. */
  readonly signal: AbortSignal;
  /** Rejects when `signal` fires, so a provider that does not watch its signal cannot hold a stream open. */
  private readonly aborted: Promise<never>;

  constructor(private readonly timeouts: StreamTimeouts, caller: AbortSignal) {
    this.signal = AbortSignal.any([caller, this.controller.signal]);
    this.aborted = new Promise<never>((_, reject) => this.signal.addEventListener('abort', () => reject(this.signal.reason), { once: true }));
    this.aborted.catch(() => undefined); // nobody may be waiting when it fires
    this.total = setTimeout(() => this.expire('total'), timeouts.totalMs).unref();
  }

  /** Also fires on `callSignal` (the whole-call deadline) until `opened()`. */
  opening(callSignal: AbortSignal): AbortSignal {
    this.unfollow();
    const forward = () => this.controller.abort(callSignal.reason);
    callSignal.addEventListener('abort', forward, { once: true });
    this.unfollow = () => callSignal.removeEventListener('abort', forward);
    return this.signal;
  }

  opened(): void {
    this.unfollow();
  }

  /** The next event, within the idle timeout. */
  async next<T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> {
    this.idle = setTimeout(() => this.expire('idle'), this.timeouts.idleMs).unref();
    try {
      return await Promise.race([iterator.next(), this.aborted]);
    } finally {
      clearTimeout(this.idle);
    }
  }

  /**
   * Why a stream that had begun failed: a deadline of ours, the provider's own error, or else the
   * connection ending early, which is the upstream's doing (not a timeout).
   */
  failure(error: unknown, provider: string): ProblemError {
    if (this.expired === 'idle') return new ProblemError('UPSTREAM_TIMEOUT', `The ${provider} provider sent no token for ${this.timeouts.idleMs / 1000} s.`);
    if (this.expired === 'total') return new ProblemError('UPSTREAM_TIMEOUT', `The ${provider} stream did not finish within ${this.timeouts.totalMs / 1000} s.`);
    if (error instanceof ProviderError) return upstreamProblem(error, provider);
    if (error instanceof ProblemError) return error;
    return new ProblemError('UPSTREAM_ERROR', `The ${provider} provider ended the stream before it finished.`);
  }

  /** The upstream's part in a failure mid-stream, for its breaker: none when our own total deadline ended it. */
  upstreamFault(error: unknown): UpstreamError | undefined {
    if (this.expired === 'total') return undefined;
    if (this.expired === 'idle') return new UpstreamError('timeout', '');
    return error instanceof UpstreamError ? error : new UpstreamError('unavailable', '');
  }

  close(): void {
    this.unfollow();
    clearTimeout(this.total);
    clearTimeout(this.idle);
  }

  private expire(which: 'idle' | 'total') {
    this.expired ??= which;
    this.controller.abort(new DOMException(`The stream's ${which} deadline passed.`, 'TimeoutError'));
  }
}
