// How a call to an upstream failed — a model provider, a document extractor, a vector index, an
// embedder: each adapter maps its client's failures to these kinds (its own error type may extend
// UpstreamError), and Resilience decides from the kind whether to retry and which breaker to blame.

/**
 * `rejected`: the upstream refused this request (not retried); `throttled`: slow down (retried,
 * honouring retryAfterSeconds); `unavailable`: a transient failure of the resource called (retried);
 * `unreachable`: no connection to the upstream at all (retried); `timeout`: no answer in time;
 * `bad_response`: an answer we cannot read.
 */
export type UpstreamFailureKind = 'rejected' | 'throttled' | 'unavailable' | 'unreachable' | 'timeout' | 'bad_response';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    /** Safe to show a client: never the upstream's own text. */
    readonly detail: string,
    /** How long the upstream asked us to wait (its Retry-After), in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

/** Reads an upstream's Retry-After as seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** An abort: the caller gave up, or the deadline passed. */
export const isAbort = (error: unknown) => error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
