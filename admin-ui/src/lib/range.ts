// The usage dashboard's time ranges: presets and custom ranges, each with a bucket width that keeps
// the series under the admin API's 1,000-bucket limit (openapi/admin/paths/admin_usage_report.yaml).
export type Bucket = 'MINUTE' | 'HOUR' | 'DAY';

const SECONDS: Record<Bucket, number> = { MINUTE: 60, HOUR: 3_600, DAY: 86_400 };
const MAX_BUCKETS = 1_000;

export const PRESETS = [
  { id: '1h', label: 'Last hour', seconds: 3_600 },
  { id: '24h', label: 'Last 24 hours', seconds: 86_400 },
  { id: '7d', label: 'Last 7 days', seconds: 7 * 86_400 },
  { id: '30d', label: 'Last 30 days', seconds: 30 * 86_400 },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

/** The finest bucket giving at least a few points and at most MAX_BUCKETS over `seconds`. */
export function bucketFor(seconds: number): Bucket {
  if (seconds <= 6 * 3_600) return 'MINUTE';
  if (seconds / SECONDS.HOUR <= MAX_BUCKETS && seconds <= 14 * 86_400) return 'HOUR';
  return 'DAY';
}

/** Rounds down to the bucket's start, so buckets line up with clock minutes, hours, UTC days. */
const floorTo = (ms: number, bucket: Bucket) => Math.floor(ms / (SECONDS[bucket] * 1000)) * SECONDS[bucket] * 1000;

export interface Range {
  from: string;
  to: string;
  bucket: Bucket;
}

/** A preset ending now: from the start of the bucket `seconds` ago to the end of the current one. */
export function presetRange(id: PresetId, now = Date.now()): Range {
  const { seconds } = PRESETS.find((p) => p.id === id)!;
  const bucket = bucketFor(seconds);
  const to = floorTo(now, bucket) + SECONDS[bucket] * 1000;
  return { from: new Date(to - seconds * 1000).toISOString(), to: new Date(to).toISOString(), bucket };
}

/** A custom range from two instants, or why it cannot be asked for. */
export function customRange(fromMs: number, toMs: number): Range | string {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return 'Enter both a start and an end.';
  if (toMs <= fromMs) return 'The end must be after the start.';
  if (toMs - fromMs > 92 * 86_400_000) return 'A range covers at most 92 days.';
  const bucket = bucketFor((toMs - fromMs) / 1000);
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), bucket };
}
