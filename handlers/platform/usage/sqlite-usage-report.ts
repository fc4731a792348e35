// UsageLedger.report on SQLite: one statement reads the rows in range once (MATERIALIZED), tags
// each row with its key in every breakdown (UNION ALL: totals, time bucket, app, service and
// resource, service), and groups on (breakdown, key): counts and sums with GROUP BY, units out of
// the JSON column with json_extract, percentiles by rank (ROW_NUMBER over each group's latencies).
// The same figures as usage-report.ts's foldUsage, which the DynamoDB adapter uses.
import type { SqliteDatabase } from '../store/sqlite/database.ts';
import { USAGE_UNITS, type UsageFigures, type UsageQuery, type UsageReport, type UsageUnit } from './usage-ledger.ts';
import { orderReport, UNSPECIFIED_ERROR } from './usage-report.ts';

type Dimension = 'total' | 'bucket' | 'app' | 'resource' | 'service' | 'error';
type GroupRow = { dim: Dimension; g: string; calls: number; errors: number; cost: number; p50: number; p95: number } & Record<UsageUnit, number>;

const IN_RANGE = `created_at >= @from AND created_at < @to AND app_id IN (SELECT value FROM json_each(@apps))`;

// Keys are text; a (service, resource) pair is a JSON array so a null resource survives. Numbers
// are bound as REAL, hence the CAST for an integer division.
const KEYS: Record<Dimension, string> = {
  total: `''`,
  bucket: `CAST((unixepoch(created_at) - unixepoch(@from)) / CAST(@bucket AS INTEGER) AS TEXT)`,
  app: 'app_id',
  resource: 'json_array(service, resource)',
  service: 'service',
  error: `CASE WHEN status = 'FAILED' THEN coalesce(error_code, '${UNSPECIFIED_ERROR}') END`,
};

const REPORT_SQL = `
  WITH r AS MATERIALIZED (
    SELECT ${Object.entries(KEYS).map(([dim, key]) => `${key} AS k_${dim}`).join(', ')}, status, cost_usd, latency_ms,
           ${USAGE_UNITS.map((unit) => `coalesce(json_extract(units, '$.${unit}'), 0) AS ${unit}`).join(', ')}
    FROM usage_events WHERE ${IN_RANGE}),
  tagged AS (${Object.keys(KEYS).map((dim) => `SELECT '${dim}' AS dim, k_${dim} AS g, * FROM r WHERE k_${dim} IS NOT NULL`).join(' UNION ALL ')}),
  ranked AS (SELECT dim, g, latency_ms, ROW_NUMBER() OVER (PARTITION BY dim, g ORDER BY latency_ms) AS rn, COUNT(*) OVER (PARTITION BY dim, g) AS n FROM tagged),
  pct AS (SELECT dim, g, MIN(CASE WHEN rn >= (n * 50 + 99) / 100 THEN latency_ms END) AS p50,
                         MIN(CASE WHEN rn >= (n * 95 + 99) / 100 THEN latency_ms END) AS p95 FROM ranked GROUP BY dim, g),
  sums AS (SELECT dim, g, COUNT(*) AS calls, SUM(status = 'FAILED') AS errors, SUM(cost_usd) AS cost,
                  ${USAGE_UNITS.map((unit) => `SUM(${unit}) AS ${unit}`).join(', ')} FROM tagged GROUP BY dim, g)
  SELECT sums.*, pct.p50, pct.p95 FROM sums JOIN pct ON pct.dim = sums.dim AND pct.g = sums.g`;

const toFigures = (row: GroupRow): UsageFigures => ({
  calls: row.calls,
  errors: row.errors,
  costUsd: row.cost,
  units: Object.fromEntries(USAGE_UNITS.map((unit) => [unit, row[unit]])) as Record<UsageUnit, number>,
  latencyP50Ms: row.p50,
  latencyP95Ms: row.p95,
});

const NO_ROWS = toFigures({ dim: 'total', g: '', calls: 0, errors: 0, cost: 0, p50: 0, p95: 0, ...Object.fromEntries(USAGE_UNITS.map((unit) => [unit, 0])) } as GroupRow);

export function sqliteUsageReport(db: SqliteDatabase) {
  const statement = db.prepare<Record<string, unknown>, GroupRow>(REPORT_SQL);
  return (query: UsageQuery): UsageReport => {
    const rows = statement.all({ from: query.from, to: query.to, bucket: query.bucketSeconds, apps: JSON.stringify(query.appIds) });
    const of = (dim: Dimension) => rows.filter((row) => row.dim === dim);
    const total = of('total')[0];
    return orderReport({
      totals: total ? toFigures(total) : NO_ROWS,
      series: of('bucket').map((row) => ({ bucket: Number(row.g), ...toFigures(row) })),
      byApp: of('app').map((row) => ({ appId: row.g, ...toFigures(row) })),
      byResource: of('resource').map((row) => {
        const [service, resource] = JSON.parse(row.g) as [string, string | null];
        return { service, resource, ...toFigures(row) };
      }),
      byService: of('service').map((row) => ({ service: row.g, ...toFigures(row) })),
      errorsByCode: of('error').map((row) => ({ code: row.g, count: row.calls })),
    });
  };
}
