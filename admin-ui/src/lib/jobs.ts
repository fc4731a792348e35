// How the jobs page reads a job: open or finished, and its progress in words.
import type { Schemas } from './api.ts';

type AdminJob = Schemas['AdminJob'];

const FINISHED: ReadonlySet<AdminJob['state']> = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED']);

export const isOpen = (job: Pick<AdminJob, 'state'>) => !FINISHED.has(job.state);

export function progressText({ progress, failed, cancelled }: Pick<AdminJob, 'progress' | 'failed' | 'cancelled'>): string {
  const extra = [failed && `${failed} failed`, cancelled && `${cancelled} cancelled`].filter(Boolean).join(', ');
  return `${progress.done} of ${progress.total}${extra ? ` (${extra})` : ''}`;
}

/** The kinds seen so far, sorted: the filter offers them (kinds are the services', never a fixed list). */
export const kindsOf = (jobs: Pick<AdminJob, 'kind'>[], known: readonly string[] = []) => [...new Set([...known, ...jobs.map((j) => j.kind)])].sort();
