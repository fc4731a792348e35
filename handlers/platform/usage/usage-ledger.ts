// The usage ledger port: one row per model call (sync, stream, async, raw, embed), failures and
// cancellations included. Writes are buffered off the request path.

export type UsageOperation = 'invoke' | 'stream' | 'async' | 'raw' | 'embed';
export type UsageStatus = 'SUCCESS' | 'FAILED' | 'CANCELLED';

export interface UsageEvent {
  appId: string;
  operation: UsageOperation;
  modelName: string;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
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
