// Closed-loop HTTP load with autocannon, with latency percentiles computed from every response's
// own time (autocannon's histogram rounds to whole milliseconds, too coarse for sub-ms overheads).
import autocannon, { type Result } from 'autocannon';
import type { EventEmitter } from 'node:events';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds to run, or… */
  duration?: number;
  /** …a number of requests to send. */
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  // The typings say Promise; at run time it is also an EventEmitter of each response.
  const instance = autocannon({ ...options, ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 5 }) }) as unknown as EventEmitter & PromiseLike<Result>;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
