// Reading a document job from the kernel's job store (platform/jobs/job-reads.ts) with the
// document API's "not found" problems; deleting one with its files' objects.
import { ProblemError } from '../platform/problems.ts';
import type { Job, JobItem, JobStore } from '../platform/jobs/ports.ts';
import * as reads from '../platform/jobs/job-reads.ts';
import type { BlobStore } from '../platform/blobs/ports.ts';
import { mapLimit } from '../platform/map-limit.ts';
import { CHUNKING_JOB, EXTRACTION_JOB } from './kinds.ts';

export { newestJobs, pageOfJobs } from '../platform/jobs/job-reads.ts';

type DocumentJobKind = typeof EXTRACTION_JOB | typeof CHUNKING_JOB;

export const notFound = (kind: string, jobId: string) =>
  kind === EXTRACTION_JOB
    ? new ProblemError('EXTRACTION_JOB_NOT_FOUND', `No extraction job ${jobId} for this application (or it has expired).`)
    : new ProblemError('CHUNKING_JOB_NOT_FOUND', `No chunking job ${jobId} for this application (or it has expired).`);

export const findJob = (store: JobStore, appId: string, jobId: string, kind: DocumentJobKind): Promise<Job> =>
  reads.findJob(store, appId, jobId, kind, () => notFound(kind, jobId));

export async function findItem(store: JobStore, job: Job, fileName: string): Promise<JobItem> {
  const item = await store.getItem(job.appId, job.jobId, fileName);
  if (!item) throw new ProblemError('FILE_NOT_FOUND', `Job ${job.jobId} has no file named "${fileName}".`);
  return item;
}

/** Cancels a job of this kind (its unfinished files too); another app's or kind's job is not found. */
export const cancelJob = (store: JobStore, appId: string, jobId: string, kind: DocumentJobKind): Promise<Job> =>
  reads.cancelJob(store, appId, jobId, kind, () => notFound(kind, jobId));

/** Every item of a job (at most MAX_ITEMS_PER_JOB), in file-name order. */
export const allItems = (store: JobStore, job: Job): Promise<JobItem[]> => reads.allItems(store, job, () => notFound(job.kind, job.jobId));

/** Blob deletions in flight at once while a job is deleted. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes a job of this kind: cancels it, removes each file's objects (`keysOf` its file name;
 * the blob store cannot list), then the job. A crash midway leaves a job to delete again.
 */
export async function deleteJob(
  store: JobStore, blobs: BlobStore, appId: string, jobId: string, kind: DocumentJobKind, keysOf: (fileName: string) => string[],
): Promise<{ job_id: string; deleted: true }> {
  const job = await findJob(store, appId, jobId, kind);
  await store.cancel(appId, jobId);
  const items = await allItems(store, job);
  await mapLimit(items, DELETE_CONCURRENCY, (item) => Promise.all(keysOf(item.itemId).map((key) => blobs.delete(appId, key))));
  if (!(await store.delete(appId, jobId))) throw notFound(kind, jobId);
  return { job_id: jobId, deleted: true };
}
