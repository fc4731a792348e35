// UsageLedger.report on SQLite (GROUP BY in SQL) against the baseline of reading the same rows and
// adding them up in JavaScript (what the DynamoDB adapter must do), in the same run, over a ledger
// of BENCH_USAGE_ROWS rows (20 apps, 4 models, 30 days). Medians of alternating rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODULES } from '../handlers/modules.ts';
import { openDatabase } from '../handlers/platform/store/sqlite/database.ts';
import { sqliteUsageLedger } from '../handlers/platform/usage/sqlite-usage-ledger.ts';
import { foldUsage } from '../handlers/platform/usage/usage-report.ts';
import type { UsageEvent, UsageQuery } from '../handlers/platform/usage/usage-ledger.ts';

const ROWS = Number(process.env.BENCH_USAGE_ROWS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const END = Date.parse('2026-12-01T00:00:00.000Z');
const DAY = 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (run: () => unknown) => {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

export async function benchUsageReport(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-usage-'));
  const db = openDatabase(dir, MODULES);
  const ledger = sqliteUsageLedger(db);
  try {
    const apps = Array.from({ length: 20 }, (_, i) => `app-${i}`);
    for (let i = 0; i < ROWS; i++) {
      ledger.record({
        appId: apps[i % apps.length]!, service: 'model', operation: 'invoke', resource: `model-${i % 4}`, provider: 'openai',
        units: { input_tokens: 100 + (i % 50), output_tokens: 20 + (i % 7) }, latencyMs: 50 + ((i * 7919) % 2000),
        status: i % 50 === 0 ? 'FAILED' : 'SUCCESS', errorCode: i % 50 === 0 ? 'UPSTREAM_ERROR' : null, requestId: `r${i}`,
        costUsd: 0.001, createdAt: new Date(END - ((i * 9973) % (30 * DAY))).toISOString(),
      });
    }
    await ledger.flush();

    const all = db.prepare<[string, string], Record<string, unknown>>('SELECT * FROM usage_events WHERE created_at >= ? AND created_at < ?');
    const fold = (query: UsageQuery) => foldUsage(all.all(query.from, query.to).map((row) => ({
      appId: row.app_id, service: row.service, operation: row.operation, resource: row.resource, provider: row.provider,
      units: JSON.parse(String(row.units)), latencyMs: row.latency_ms, status: row.status, errorCode: row.error_code,
      requestId: row.request_id, costUsd: row.cost_usd, createdAt: row.created_at,
    }) as UsageEvent), query);

    const lines: string[] = [];
    const say = (line: string) => { lines.push(line); process.stdout.write(`${line}\n`); };
    say(`UsageLedger.report on SQLite, ${ROWS.toLocaleString('en')} rows over 30 days — medians of ${ROUNDS} alternating rounds`);
    say('| range | bucket | rows in range | SQL GROUP BY ms | read + fold in JS ms (baseline) | SQL / baseline |');
    say('|---|---|---|---|---|---|');
    const ranges: [string, UsageQuery][] = [
      ['24 hours', { appIds: apps, from: new Date(END - DAY).toISOString(), to: new Date(END).toISOString(), bucketSeconds: 3_600 }],
      ['30 days', { appIds: apps, from: new Date(END - 30 * DAY).toISOString(), to: new Date(END).toISOString(), bucketSeconds: 86_400 }],
    ];
    for (const [label, query] of ranges) {
      const sql: number[] = [];
      const js: number[] = [];
      let inRange = 0;
      for (let round = 0; round < ROUNDS; round++) {
        sql.push(await time(() => ledger.report(query)));
        js.push(await time(() => (inRange = fold(query).totals.calls)));
      }
      say(`| ${label} | ${query.bucketSeconds / 3600} h | ${inRange.toLocaleString('en')} | ${median(sql).toFixed(0)} | ${median(js).toFixed(0)} | ${(median(sql) / median(js)).toFixed(2)} |`);
    }
    return lines.join('\n');
  } finally {
    ledger.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
