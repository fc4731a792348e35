// Vectorisation jobs: made from a finished chunking job (its SUCCEEDED files, one queue message
// each) into an index of an ACTIVE store; status, files, lists, cancel and delete. The vectors are
// made by the worker (vectorise-file.ts). No limit on a file's chunks (the seed's was 500).
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../../platform/problems.ts';
import type { Job } from '../../platform/jobs/ports.ts';
import { allItems, cancelJob, findJob, newestJobs, pageOfJobs } from '../../platform/jobs/job-reads.ts';
import { mapLimit } from '../../platform/map-limit.ts';
import { VectorIndexError } from '../index/ports.ts';
import { VECTORISATION_JOB, VECTORISATION_QUEUE, type VectorisationMessage } from '../kinds.ts';
import type { VectorisationDeps, VectorisationInput } from './ports.ts';
import { vectorisationFileView, vectorisationJobView, type Schemas } from './views.ts';

export interface VectorisationJobsDeps extends Pick<VectorisationDeps, 'kernel' | 'catalog' | 'backend' | 'chunks' | 'config'> {
  /** A job was queued in this process (wakes the worker at once when it runs here). */
  onQueued?(): void;
}

/** Generations discarded at once while a job is deleted. */
const DISCARD_CONCURRENCY = 8;

const notFound = (jobId: string) => () => new ProblemError('VECTORIZE_JOB_NOT_FOUND', `No vectorisation job ${jobId} for this application (or it has expired).`);

export class VectorisationJobs {
  constructor(private readonly deps: VectorisationJobsDeps) {}

  /**
   * Messages first, then the job (sealed, with its files) in one write: a crash in between leaves
   * only messages for a job that does not exist, which the worker drops; never a job without work.
   */
  async create(appId: string, body: Schemas['VectorizeRequest']): Promise<Schemas['VectorizeJob']> {
    const { catalog, backend, chunks, kernel } = this.deps;
    const index = await catalog.getIndex(appId, body.index_id);
    if (!index) throw new ProblemError('VECTOR_INDEX_NOT_FOUND', `No index ${body.index_id} for this application.`, { errors: [{ path: 'body.index_id', message: 'not found' }] });
    const store = await catalog.getStore(appId, index.storeId);
    if (!store) throw new ProblemError('VECTOR_STORE_NOT_FOUND', `No store ${index.storeId} for this application.`);
    const status = await backend.status(store);
    if (status !== 'ACTIVE') throw new ProblemError('VECTOR_STORE_NOT_READY', `Store ${store.storeId} is ${status}; vectorise into it once it is ACTIVE.`);
    const chunking = await chunks.job(appId, body.chunking_job_id);
    if (!chunking) {
      throw new ProblemError('CHUNKING_JOB_NOT_FOUND', `No chunking job ${body.chunking_job_id} for this application (or it has expired).`, {
        errors: [{ path: 'body.chunking_job_id', message: 'not found' }],
      });
    }
    const files = chunking.files.filter((file) => file.state === 'SUCCEEDED').map((file) => file.file_name);
    if (chunking.state !== 'COMPLETED' && chunking.state !== 'COMPLETED_WITH_ERRORS') {
      throw new ProblemError('CHUNKING_NOT_COMPLETED', `Chunking job ${chunking.chunking_job_id} is ${chunking.state}, not COMPLETED or COMPLETED_WITH_ERRORS.`);
    }
    // The seed answered "No chunk files found".
    if (files.length === 0) throw new ProblemError('CHUNKING_NOT_COMPLETED', `Chunking job ${chunking.chunking_job_id} has no file with chunks.`);
    const jobId = randomUUID();
    for (const fileName of files) {
      const message: VectorisationMessage = { app_id: appId, job_id: jobId, file_name: fileName };
      await kernel.jobs.enqueue(VECTORISATION_QUEUE, message);
    }
    const input: VectorisationInput = { chunking_job_id: chunking.chunking_job_id, store_id: store.storeId, index_id: index.indexId, embedding_model: index.embeddingModel };
    const job = await kernel.jobStore.create({
      appId, kind: VECTORISATION_JOB, jobId, input, items: files.map((itemId) => ({ itemId })), start: true,
      retentionSeconds: this.deps.config.retentionDays * 86_400,
    });
    this.deps.onQueued?.();
    return vectorisationJobView(job);
  }

  async status(appId: string, jobId: string): Promise<Schemas['VectorizeJob']> {
    return vectorisationJobView(await this.find(appId, jobId));
  }

  async files(appId: string, jobId: string): Promise<Schemas['VectorizeJobFiles']> {
    const job = await this.find(appId, jobId);
    return { vectorize_job_id: jobId, files: (await allItems(this.deps.kernel.jobStore, job, notFound(jobId))).map(vectorisationFileView) };
  }

  async page(appId: string, limit: number | undefined, cursor: string | undefined): Promise<Schemas['VectorizeJobPage']> {
    const page = await pageOfJobs(this.deps.kernel.jobStore, appId, VECTORISATION_JOB, limit, cursor);
    return { items: page.items.map(vectorisationJobView), next: page.next };
  }

  async newest(appId: string): Promise<Schemas['VectorizeJob'][]> {
    return (await newestJobs(this.deps.kernel.jobStore, appId, VECTORISATION_JOB)).map(vectorisationJobView);
  }

  async cancel(appId: string, jobId: string): Promise<Schemas['VectorizeJob']> {
    return vectorisationJobView(await cancelJob(this.deps.kernel.jobStore, appId, jobId, VECTORISATION_JOB, notFound(jobId)));
  }

  /**
   * Cancels the job, discards the generations its files wrote but did not publish (what they
   * published stays live in the index: vectors belong to the index), then removes the job.
   * A crash midway leaves a job to delete again.
   */
  async delete(appId: string, jobId: string): Promise<Schemas['DeletedVectorizeJob']> {
    const { jobStore } = this.deps.kernel;
    const job = await this.find(appId, jobId);
    await jobStore.cancel(appId, jobId);
    const { index_id: indexId } = job.input as VectorisationInput;
    const items = await allItems(jobStore, job, notFound(jobId));
    await mapLimit(items, DISCARD_CONCURRENCY, async (item) => {
      try {
        await this.deps.backend.index.discardGeneration(indexId, item.itemId, jobId);
      } catch (error) {
        if (!(error instanceof VectorIndexError && error.reason === 'INDEX_NOT_FOUND')) throw error;
      }
    });
    if (!(await jobStore.delete(appId, jobId))) throw notFound(jobId)();
    return { vectorize_job_id: jobId, deleted: true };
  }

  private find(appId: string, jobId: string): Promise<Job> {
    return findJob(this.deps.kernel.jobStore, appId, jobId, VECTORISATION_JOB, notFound(jobId));
  }
}
