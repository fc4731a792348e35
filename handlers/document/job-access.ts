// Reading a document job from the kernel's job store: by (app, id) and kind, so another app's job
// and a job of another service are both "not found"; and all of a job's items, page by page.
import { ProblemError } from '../platform/problems.ts';
import { JobStoreError, MAX_ITEMS_PER_JOB, type Job, type JobItem, type JobStore, type Page } from '../platform/jobs/ports.ts';
import { MAX_PAGE } from '../platform/jobs/rules.ts';
import type { BlobStore } from '../platform/blobs/ports.ts';
import { mapLimit } from '../platform/map-limit.ts';
import { CHUNKING_JOB, EXTRACTION_JOB } from './kinds.ts';

/** The AWS sample's list_jobs answered every job; ours answers this many, newest first. */
export const LEGACY_LIST_MAX = 1000;

export const notFound = (kind: string, jobId: string) =>
  kind === EXTRACTION_JOB
    ? new ProblemError('EXTRACTION_JOB_NOT_FOUND', `No extraction job ${jobId} for this application (or it has expired).`)
    : new ProblemError('CHUNKING_JOB_NOT_FOUND', `No chunking job ${jobId} for this application (or it has expired).`);

export async function findJob(store: JobStore, appId: string, jobId: string, kind: typeof EXTRACTION_JOB | typeof CHUNKING_JOB): Promise<Job> {
  const job = await store.get(appId, jobId);
  if (job?.kind !== kind) throw notFound(kind, jobId);
  return job;
}

export async function findItem(store: JobStore, job: Job, fileName: string): Promise<JobItem> {
  const item = await store.getItem(job.appId, job.jobId, fileName);
  if (!item) throw new ProblemError('FILE_NOT_FOUND', `Job ${job.jobId} has no file named "${fileName}".`);
  return item;
}

/** Cancels a job of this kind (its unfinished files too); another app's or kind's job is not found. */
export async function cancelJob(store: JobStore, appId: string, jobId: string, kind: typeof EXTRACTION_JOB | typeof CHUNKING_JOB): Promise<Job> {
  await findJob(store, appId, jobId, kind);
  const job = await store.cancel(appId, jobId);
  if (!job) throw notFound(kind, jobId);
  return job;
}

/** Blob deletions in flight at once while a job is deleted. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes a job of this kind: cancels it, removes each file's objects (`keysOf` its file name;
 * the blob store cannot list), then the job. A crash midway leaves a job to delete again.
 */
export async function deleteJob(
  store: JobStore, blobs: BlobStore, appId: string, jobId: string, kind: typeof EXTRACTION_JOB | typeof CHUNKING_JOB, keysOf: (fileName: string) => string[],
): Promise<{ job_id: string; deleted: true }> {
  const job = await findJob(store, appId, jobId, kind);
  await store.cancel(appId, jobId);
  const items = await allItems(store, job);
  await mapLimit(items, DELETE_CONCURRENCY, (item) => Promise.all(keysOf(item.itemId).map((key) => blobs.delete(appId, key))));
  if (!(await store.delete(appId, jobId))) throw notFound(kind, jobId);
  return { job_id: jobId, deleted: true };
}

/** Every item of a job (at most MAX_ITEMS_PER_JOB), in file-name order. */
export async function allItems(store: JobStore, job: Job): Promise<JobItem[]> {
  const items: JobItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listItems(job.appId, job.jobId, { limit: MAX_PAGE, cursor });
    if (!page) throw notFound(job.kind, job.jobId); // deleted meanwhile
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

/** The newest LEGACY_LIST_MAX jobs of a kind (the AWS sample's unpaginated lists). */
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
