// Finished jobs past their retention are deleted now and then (reads already hide them). It runs
// where workers run: they own the jobs' lifecycle, and on AWS only worker roles may write the jobs table.
import type { Logger } from '../logger.ts';
import type { JobStore } from './ports.ts';

const EXPIRY_SWEEP_MS = 10 * 60 * 1000;

/** Starts sweeping; returns the function that stops it. */
export function sweepExpiredJobs(jobStore: JobStore, log: Logger): () => void {
  const timer = setInterval(() => {
    jobStore.deleteExpired().catch((err) => log.warn({ err }, 'expired jobs not swept; the next sweep retries'));
  }, EXPIRY_SWEEP_MS).unref();
  return () => clearInterval(timer);
}
