// UsageLedger on SQLite: rows are buffered and written in one transaction per batch, at most
// FLUSH_MS after they were recorded (or at once when BATCH rows are waiting).
import type { SqliteDatabase } from '../store/sqlite/database.ts';
import type { UsageEvent, UsageLedger } from './usage-ledger.ts';

const FLUSH_MS = 50;
const BATCH = 500;

export function sqliteUsageLedger(db: SqliteDatabase): UsageLedger & { close(): void } {
  const insert = db.prepare(
    `INSERT INTO usage_events (app_id, operation, model_name, provider, input_tokens, output_tokens, latency_ms,
                               status, error_code, request_id, cost_usd, created_at)
     VALUES (@appId, @operation, @modelName, @provider, @inputTokens, @outputTokens, @latencyMs,
             @status, @errorCode, @requestId, @costUsd, @createdAt)`,
  );
  const insertAll = db.transaction((events: UsageEvent[]) => events.forEach((event) => insert.run(event)));
  const tokens = db.prepare<[string, string], { n: number }>(
    'SELECT coalesce(sum(input_tokens + output_tokens), 0) AS n FROM usage_events WHERE app_id = ? AND created_at >= ?',
  );
  const recent = db.prepare<[string, number], Record<string, unknown>>(
    'SELECT * FROM usage_events WHERE app_id = ? ORDER BY id DESC LIMIT ?',
  );
  let buffer: UsageEvent[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flushNow = () => {
    clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    insertAll(batch);
  };

  return {
    record(event) {
      buffer.push(event);
      if (buffer.length >= BATCH) flushNow();
      else timer ??= setTimeout(flushNow, FLUSH_MS).unref();
    },
    async flush() {
      flushNow();
    },
    async tokensSince(appId, sinceIso) {
      const pending = buffer.filter((e) => e.appId === appId && e.createdAt >= sinceIso).reduce((n, e) => n + e.inputTokens + e.outputTokens, 0);
      return tokens.get(appId, sinceIso)!.n + pending;
    },
    async list(appId, limit) {
      flushNow();
      return recent.all(appId, limit).map((row) => ({
        appId: row.app_id as string,
        operation: row.operation as UsageEvent['operation'],
        modelName: row.model_name as string,
        provider: row.provider as string | null,
        inputTokens: row.input_tokens as number,
        outputTokens: row.output_tokens as number,
        latencyMs: row.latency_ms as number,
        status: row.status as UsageEvent['status'],
        errorCode: row.error_code as string | null,
        requestId: row.request_id as string,
        costUsd: row.cost_usd as number,
        createdAt: row.created_at as string,
      }));
    },
    close: flushNow,
  };
}
