// UsageLedger.report on SQLite: one GROUP BY per breakdown over the rows in range (index
// usage_events_time), units summed from the JSON column with json_each, percentiles by rank
// (ROW_NUMBER over each group's latencies). Same figures as usage-report.ts's foldUsage.
import type { SqliteDatabase } from '../store/sqlite/database.ts';
import type { UsageFigures, UsageQuery, UsageReport } from './usage-ledger.ts';
import { orderReport, UNSPECIFIED_ERROR, zeroUnits } from './usage-report.ts';

interface GroupRow {
  g: string;
  calls: number;
  errors: number;
  cost: number;
  p50: number;
  p95: number;
  units: string | null;
}

const IN_RANGE = `created_at >= @from AND created_at < @to AND app_id IN (SELECT value FROM json_each(@apps))`;

/** Figures per value of `group` (an SQL expression over a usage_events row, as text). */
const groupedFigures = (group: string) => `
  WITH r AS (SELECT ${group} AS g, status, cost_usd, latency_ms, units FROM usage_events WHERE ${IN_RANGE}),
  ranked AS (SELECT g, latency_ms, ROW_NUMBER() OVER (PARTITION BY g ORDER BY latency_ms) AS rn, COUNT(*) OVER (PARTITION BY g) AS n FROM r),
  pct AS (SELECT g, MIN(CASE WHEN rn >= (n * 50 + 99) / 100 THEN latency_ms END) AS p50,
                    MIN(CASE WHEN rn >= (n * 95 + 99) / 100 THEN latency_ms END) AS p95 FROM ranked GROUP BY g),
  per_unit AS (SELECT r.g, u.key, SUM(u.value) AS q FROM r, json_each(r.units) AS u GROUP BY r.g, u.key),
  unit_json AS (SELECT g, json_group_object(key, q) AS units FROM per_unit GROUP BY g)
  SELECT r.g AS g, COUNT(*) AS calls, SUM(r.status = 'FAILED') AS errors, SUM(r.cost_usd) AS cost, pct.p50, pct.p95, unit_json.units
  FROM r JOIN pct ON pct.g IS r.g LEFT JOIN unit_json ON unit_json.g IS r.g
  GROUP BY r.g`;

const toFigures = (row: GroupRow): UsageFigures => ({
  calls: row.calls,
  errors: row.errors,
  costUsd: row.cost,
  units: { ...zeroUnits(), ...(row.units ? JSON.parse(row.units) : {}) },
  latencyP50Ms: row.p50,
  latencyP95Ms: row.p95,
});

const NO_ROWS: GroupRow = { g: '', calls: 0, errors: 0, cost: 0, p50: 0, p95: 0, units: null };

export function sqliteUsageReport(db: SqliteDatabase) {
  // Groups are text keys (numbers are bound as REAL, hence the CAST for an integer division); a (service, resource) pair is a JSON array so a null resource survives.
  const totals = db.prepare<Record<string, unknown>, GroupRow>(groupedFigures(`''`));
  const series = db.prepare<Record<string, unknown>, GroupRow>(
    groupedFigures(`CAST((unixepoch(created_at) - unixepoch(@from)) / CAST(@bucket AS INTEGER) AS TEXT)`),
  );
  const byApp = db.prepare<Record<string, unknown>, GroupRow>(groupedFigures('app_id'));
  const byResource = db.prepare<Record<string, unknown>, GroupRow>(groupedFigures('json_array(service, resource)'));
  const byService = db.prepare<Record<string, unknown>, GroupRow>(groupedFigures('service'));
  const errors = db.prepare<Record<string, unknown>, { code: string; count: number }>(
    `SELECT coalesce(error_code, '${UNSPECIFIED_ERROR}') AS code, COUNT(*) AS count FROM usage_events
     WHERE ${IN_RANGE} AND status = 'FAILED' GROUP BY code`,
  );

  return (query: UsageQuery): UsageReport => {
    const params = { from: query.from, to: query.to, bucket: query.bucketSeconds, apps: JSON.stringify(query.appIds) };
    return orderReport({
      totals: toFigures(totals.get(params) ?? NO_ROWS),
      series: series.all(params).map((row) => ({ bucket: Number(row.g), ...toFigures(row) })),
      byApp: byApp.all(params).map((row) => ({ appId: row.g, ...toFigures(row) })),
      byResource: byResource.all(params).map((row) => {
        const [service, resource] = JSON.parse(row.g) as [string, string | null];
        return { service, resource, ...toFigures(row) };
      }),
      byService: byService.all(params).map((row) => ({ service: row.g, ...toFigures(row) })),
      errorsByCode: errors.all(params),
    });
  };
}
