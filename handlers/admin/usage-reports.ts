// Usage reports for the admin: the ledger's figures over a time range for one application or all
// that exist, with every time-series bucket present (empty ones as zeros, so a chart's x axis is
// continuous) and application names beside their ids.
import { ProblemError } from '../platform/problems.ts';
import type { AppStore } from '../platform/store/ports.ts';
import type { UsageFigures, UsageLedger } from '../platform/usage/usage-ledger.ts';
import { zeroUnits } from '../platform/usage/usage-report.ts';

export const BUCKET_SECONDS = { MINUTE: 60, HOUR: 3_600, DAY: 86_400 } as const;
export type Bucket = keyof typeof BUCKET_SECONDS;
/** Longest range a report covers, and most buckets it lists (see openapi/admin/paths/admin_usage_report.yaml). */
export const MAX_RANGE_DAYS = 92;
export const MAX_BUCKETS = 1_000;

const EMPTY: UsageFigures = { calls: 0, errors: 0, costUsd: 0, units: zeroUnits(), latencyP50Ms: 0, latencyP95Ms: 0 };

const wire = (f: UsageFigures) => ({
  calls: f.calls,
  errors: f.errors,
  cost_usd: f.costUsd,
  units: f.units,
  latency_p50_ms: f.latencyP50Ms,
  latency_p95_ms: f.latencyP95Ms,
});

const invalid = (path: string, message: string) =>
  new ProblemError('VALIDATION_ERROR', `${path} ${message}.`, { errors: [{ path, message }] });

export class UsageReports {
  constructor(private readonly apps: AppStore, private readonly ledger: UsageLedger) {}

  async report(query: { from: string; to: string; bucket?: Bucket; app_id?: string }) {
    const bucket = query.bucket ?? 'HOUR';
    const bucketSeconds = BUCKET_SECONDS[bucket];
    const fromMs = Date.parse(query.from);
    const toMs = Date.parse(query.to);
    if (!(toMs > fromMs)) throw invalid('query.to', 'must be later than from');
    if (toMs - fromMs > MAX_RANGE_DAYS * 86_400_000) throw invalid('query.to', `must be at most ${MAX_RANGE_DAYS} days after from`);
    const buckets = Math.ceil((toMs - fromMs) / (bucketSeconds * 1000));
    if (buckets > MAX_BUCKETS) throw invalid('query.bucket', `makes ${buckets} buckets over this range; at most ${MAX_BUCKETS}: pick a wider bucket or a shorter range`);

    const apps = await this.apps.list();
    if (query.app_id !== undefined && !apps.some((app) => app.appId === query.app_id)) {
      throw new ProblemError('APP_NOT_FOUND', `No application with id ${query.app_id}.`);
    }
    const names = new Map(apps.map((app) => [app.appId, app.appName]));
    // The adapters compare instants as strings: normalise to Date.toISOString()'s form.
    const from = new Date(fromMs).toISOString();
    const to = new Date(toMs).toISOString();
    const appIds = query.app_id !== undefined ? [query.app_id] : [...names.keys()];
    const report = await this.ledger.report({ appIds, from, to, bucketSeconds });

    const filled = new Map(report.series.map((point) => [point.bucket, point]));
    return {
      from,
      to,
      bucket,
      bucket_seconds: bucketSeconds,
      totals: wire(report.totals),
      series: Array.from({ length: buckets }, (_, i) => ({
        start: new Date(fromMs + i * bucketSeconds * 1000).toISOString(),
        ...wire(filled.get(i) ?? EMPTY),
      })),
      by_app: report.byApp.map((x) => ({ app_id: x.appId, app_name: names.get(x.appId) ?? x.appId, ...wire(x) })),
      by_resource: report.byResource.map((x) => ({ service: x.service, resource: x.resource, ...wire(x) })),
      by_service: report.byService.map((x) => ({ service: x.service, ...wire(x) })),
      errors_by_code: report.errorsByCode,
    };
  }
}
