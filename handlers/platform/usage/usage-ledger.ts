// The usage ledger port: one row per billable event of any service — a model call (sync, stream,
// async, raw, embed), a file extracted, a file chunked, a batch vectorised, a search — failures and
// cancellations included. What was used is counted in units (tokens in and out, pages, chunks,
// vectors, queries), so every service meters the same way and limits and reports read one ledger.
// Writes are buffered off the request path.

export const USAGE_UNITS = ['input_tokens', 'output_tokens', 'pages', 'ocr_pages', 'textract_pages', 'chunks', 'vectors', 'queries'] as const;
export type UsageUnit = (typeof USAGE_UNITS)[number];
/** Quantities by unit; a unit the event did not use is absent. */
export type UsageUnits = Partial<Record<UsageUnit, number>>;
export type UsageStatus = 'SUCCESS' | 'FAILED' | 'CANCELLED';

export interface UsageEvent {
  appId: string;
  /** The module that served it: 'model', 'document', 'vector' … */
  service: string;
  /** What it did, in that service's words: 'invoke', 'stream', 'extract', 'chunk', 'search' … */
  operation: string;
  /** What it used, when one thing: the model called, the job … */
  resource: string | null;
  provider: string | null;
  units: UsageUnits;
  latencyMs: number;
  status: UsageStatus;
  errorCode: string | null;
  requestId: string;
  costUsd: number;
  createdAt: string;
  /**
   * Tokens this call reserved against a shared monthly counter (usage-limits.ts), released by the
   * write that adds its real usage, in the same update. Not part of the row.
   */
  reservedTokens?: number;
}

export interface UsageLedger {
  /** Queues the row; it is written shortly after, never on the caller's time. */
  record(event: UsageEvent): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Tokens (in + out) the app used since `sinceIso`, rows not yet flushed included. */
  tokensSince(appId: string, sinceIso: string): Promise<number>;
  /** The app's rows, newest first (for tests and metrics). */
  list(appId: string, limit: number): Promise<UsageEvent[]>;
}

/** Tokens in and out of an event: what the token limits count. */
export const eventTokens = ({ units }: Pick<UsageEvent, 'units'>) => (units.input_tokens ?? 0) + (units.output_tokens ?? 0);

