// Adding up usage rows (UsageLedger.report): the one definition of the figures, shared by the
// adapters. SQLite computes them in SQL; DynamoDB, which cannot group, folds the rows it queried
// here. Both order their lists with orderReport, so they answer alike (the store contract checks).
import { USAGE_UNITS, type UsageEvent, type UsageFigures, type UsageQuery, type UsageReport, type UsageUnit } from './usage-ledger.ts';

/** The error code a FAILED row without one is counted under. */
export const UNSPECIFIED_ERROR = 'UNSPECIFIED';

export const zeroUnits = (): Record<UsageUnit, number> => Object.fromEntries(USAGE_UNITS.map((unit) => [unit, 0])) as Record<UsageUnit, number>;

/** Nearest-rank percentile (the value at rank ⌈p·n⌉) of values sorted ascending; 0 when empty. */
export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.ceil((p / 100) * sorted.length) - 1]! : 0);

/** Bucket index of an instant: whole buckets since `from`. */
export const bucketOf = (createdAt: string, query: Pick<UsageQuery, 'from' | 'bucketSeconds'>) =>
  Math.floor((Math.floor(Date.parse(createdAt) / 1000) - Math.floor(Date.parse(query.from) / 1000)) / query.bucketSeconds);

function figures(rows: UsageEvent[]): UsageFigures {
  const units = zeroUnits();
  let errors = 0;
  let costUsd = 0;
  for (const row of rows) {
    for (const unit of USAGE_UNITS) units[unit] += row.units[unit] ?? 0;
    if (row.status === 'FAILED') errors++;
    costUsd += row.costUsd;
  }
  const latencies = rows.map((row) => row.latencyMs).sort((a, b) => a - b);
  return { calls: rows.length, errors, costUsd, units, latencyP50Ms: percentile(latencies, 50), latencyP95Ms: percentile(latencies, 95) };
}

function groupBy<K>(rows: UsageEvent[], key: (row: UsageEvent) => K): [K, UsageEvent[]][] {
  const groups = new Map<string, [K, UsageEvent[]]>();
  for (const row of rows) {
    const k = key(row);
    const id = JSON.stringify(k);
    const group = groups.get(id) ?? groups.set(id, [k, []]).get(id)!;
    group[1].push(row);
  }
  return [...groups.values()];
}

/** The report of rows already filtered to the query's apps and range. */
export function foldUsage(rows: UsageEvent[], query: UsageQuery): UsageReport {
  const failed = rows.filter((row) => row.status === 'FAILED');
  return orderReport({
    totals: figures(rows),
    series: groupBy(rows, (row) => bucketOf(row.createdAt, query)).map(([bucket, group]) => ({ bucket, ...figures(group) })),
    byApp: groupBy(rows, (row) => row.appId).map(([appId, group]) => ({ appId, ...figures(group) })),
    byResource: groupBy(rows, (row) => [row.service, row.resource] as const).map(([[service, resource], group]) => ({ service, resource, ...figures(group) })),
    byService: groupBy(rows, (row) => row.service).map(([service, group]) => ({ service, ...figures(group) })),
    errorsByCode: groupBy(failed, (row) => row.errorCode ?? UNSPECIFIED_ERROR).map(([code, group]) => ({ code, count: group.length })),
  });
}

const byCallsThen = <T extends { calls: number }>(name: (x: T) => string) => (a: T, b: T) => b.calls - a.calls || name(a).localeCompare(name(b));

/** Series by time; breakdowns busiest first, ties by name; error codes most frequent first. */
export function orderReport(report: UsageReport): UsageReport {
  return {
    totals: report.totals,
    series: [...report.series].sort((a, b) => a.bucket - b.bucket),
    byApp: [...report.byApp].sort(byCallsThen((x) => x.appId)),
    byResource: [...report.byResource].sort(byCallsThen((x) => `${x.service}\n${x.resource ?? ''}`)),
    byService: [...report.byService].sort(byCallsThen((x) => x.service)),
    errorsByCode: [...report.errorsByCode].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
  };
}
