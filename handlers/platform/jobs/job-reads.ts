// A service's jobs as its API reads them from the job store: by (app, id) and kind, so another
// app's job and another service's job are both "not found" (the service's own problem); all of a
// job's items; one page of jobs; the newest LEGACY_LIST_MAX (the seed's unpaginated lists).
import { ProblemError } from '../problems.ts';
import { JobStoreError, MAX_ITEMS_PER_JOB, type Job, type JobItem, type JobStore, type Page } from './ports.ts';
import { MAX_PAGE } from './rules.ts';

/** The seed's list routes answered every job; ours answer this many, newest first. */
export const LEGACY_LIST_MAX = 1000;

/** The app's job of this kind; `notFound` otherwise. */
export async function findJob(store: JobStore, appId: string, jobId: string, kind: string, notFound: () => Error): Promise<Job> {
  const job = await store.get(appId, jobId);
  if (job?.kind !== kind) throw notFound();
  return job;
}

/** Cancels the app's job of this kind (its unfinished items too); `notFound` otherwise. */
export async function cancelJob(store: JobStore, appId: string, jobId: string, kind: string, notFound: () => Error): Promise<Job> {
  await findJob(store, appId, jobId, kind, notFound);
  const job = await store.cancel(appId, jobId);
  if (!job) throw notFound();
  return job;
}

/** Every item of a job (at most MAX_ITEMS_PER_JOB), in item id order; `gone` when the job was deleted meanwhile. */
export async function allItems(store: JobStore, job: Job, gone: () => Error): Promise<JobItem[]> {
  const items: JobItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listItems(job.appId, job.jobId, { limit: MAX_PAGE, cursor });
    if (!page) throw gone();
    items.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor && items.length < MAX_ITEMS_PER_JOB);
  return items;
}

/** One page of the app's jobs of a kind; a cursor the store did not hand out is a 400. */
export async function pageOfJobs(store: JobStore, appId: string, kind: string, limit: number | undefined, cursor: string | undefined): Promise<Page<Job>> {
  try {
    return await store.list(appId, { kind, limit, cursor });
  } catch (error) {
    if (error instanceof JobStoreError && error.reason === 'INVALID_CURSOR') {
      throw new ProblemError('VALIDATION_ERROR', 'The cursor is not one this API returned.', { errors: [{ path: '/query/cursor', message: 'unknown cursor' }] });
    }
    throw error;
  }
}

/** The newest LEGACY_LIST_MAX jobs of a kind. */
export async function newestJobs(store: JobStore, appId: string, kind: string): Promise<Job[]> {
  const jobs: Job[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(appId, { kind, limit: Math.min(MAX_PAGE, LEGACY_LIST_MAX - jobs.length), cursor });
    jobs.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor && jobs.length < LEGACY_LIST_MAX);
  return jobs;
}
