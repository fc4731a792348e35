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
  /** The rows of these apps in [from, to), added up: totals, a time series, breakdowns (usage-report.ts). */
  report(query: UsageQuery): Promise<UsageReport>;
}

export interface UsageQuery {
  appIds: string[];
  /** ISO instants as `Date.toISOString()` writes them (the adapters compare them as strings). */
  from: string;
  to: string;
  /** Width of a time-series bucket; bucket n starts at `from` + n × this. */
  bucketSeconds: number;
}

/** What a set of rows adds up to. Errors are FAILED rows; percentiles are nearest-rank. */
export interface UsageFigures {
  calls: number;
  errors: number;
  costUsd: number;
  /** Every unit, 0 when unused. */
  units: Record<UsageUnit, number>;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

/** Only groups with rows are listed; each list is in a fixed order (usage-report.ts, orderReport). */
export interface UsageReport {
  totals: UsageFigures;
  series: (UsageFigures & { bucket: number })[];
  byApp: (UsageFigures & { appId: string })[];
  byResource: (UsageFigures & { service: string; resource: string | null })[];
  byService: (UsageFigures & { service: string })[];
  errorsByCode: { code: string; count: number }[];
}

/** Tokens in and out of an event: what the token limits count. */
export const eventTokens = ({ units }: Pick<UsageEvent, 'units'>) => (units.input_tokens ?? 0) + (units.output_tokens ?? 0);

