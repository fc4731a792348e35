// UsageLedger on SQLite: rows are buffered and written in one transaction per batch, at most
// FLUSH_MS after they were recorded (or at once when BATCH rows are waiting).
import type { SqliteDatabase } from '../store/sqlite/database.ts';
import { eventTokens, type UsageEvent, type UsageLedger } from './usage-ledger.ts';

const FLUSH_MS = 50;
const BATCH = 500;

interface Row {
  app_id: string;
  service: string;
  operation: string;
  resource: string | null;
  provider: string | null;
  units: string;
  latency_ms: number;
  status: UsageEvent['status'];
  error_code: string | null;
  request_id: string;
  cost_usd: number;
  created_at: string;
}

export function sqliteUsageLedger(db: SqliteDatabase): UsageLedger & { close(): void } {
  const insert = db.prepare(
    `INSERT INTO usage_events (app_id, service, operation, resource, provider, units, input_tokens, output_tokens, latency_ms,
                               status, error_code, request_id, cost_usd, created_at)
     VALUES (@appId, @service, @operation, @resource, @provider, @units, @inputTokens, @outputTokens, @latencyMs,
             @status, @errorCode, @requestId, @costUsd, @createdAt)`,
  );
  const insertAll = db.transaction((events: UsageEvent[]) => {
    for (const { reservedTokens: _reserved, ...event } of events) {
      insert.run({ ...event, units: JSON.stringify(event.units), inputTokens: event.units.input_tokens ?? 0, outputTokens: event.units.output_tokens ?? 0 });
    }
  });
  const tokens = db.prepare<[string, string], { n: number }>(
    'SELECT coalesce(sum(input_tokens + output_tokens), 0) AS n FROM usage_events WHERE app_id = ? AND created_at >= ?',
  );
  const recent = db.prepare<[string, number], Row>('SELECT * FROM usage_events WHERE app_id = ? ORDER BY id DESC LIMIT ?');
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
      const pending = buffer.filter((e) => e.appId === appId && e.createdAt >= sinceIso).reduce((n, e) => n + eventTokens(e), 0);
      return tokens.get(appId, sinceIso)!.n + pending;
    },
    async list(appId, limit) {
      flushNow();
      return recent.all(appId, limit).map((row) => ({
        appId: row.app_id,
        service: row.service,
        operation: row.operation,
        resource: row.resource,
        provider: row.provider,
        units: JSON.parse(row.units),
        latencyMs: row.latency_ms,
        status: row.status,
        errorCode: row.error_code,
        requestId: row.request_id,
        costUsd: row.cost_usd,
        createdAt: row.created_at,
      }));
    },
    close: flushNow,
  };
}
