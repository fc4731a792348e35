// Chunking jobs: made from a finished extraction job (its COMPLETED files), one queue message per
// file; status, files, chunk files by URL or through the API, cancel and delete. The chunks are
// made by the worker (run-chunking.ts).
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../platform/problems.ts';
import type { ChunkingParams } from './chunking/ports.ts';
import { CHUNKING_DEFAULTS } from './chunking/params.ts';
import { chunksKey } from './blob-keys.ts';
import { CHUNKING_JOB, CHUNKING_QUEUE, EXTRACTION_JOB } from './kinds.ts';
import type { FileMessage } from '../platform/jobs/file-runs.ts';
import { allItems, cancelJob, deleteJob, findItem, findJob, newestJobs, pageOfJobs } from './job-access.ts';
import { notReady, readJson, URL_SECONDS, type DocumentDeps } from './extraction-jobs.ts';
import { chunkingFileView, chunkingJobView, type ChunkingInput, type Schemas } from './views.ts';

export class ChunkingJobs {
  constructor(private readonly deps: DocumentDeps & { validateParams: (strategy: Schemas['ChunkingStrategy'], params: ChunkingParams | null | undefined) => void }) {}

  /**
   * Messages first, then the job (sealed, with its files) in one write: a crash in between leaves
   * only messages for a job that does not exist, which the worker drops; never a job without work.
   */
  async create(appId: string, body: Schemas['CreateChunkingJobRequest']): Promise<Schemas['ChunkingJobCreated']> {
    const { jobStore, queue } = this.deps;
    this.deps.validateParams(body.chunking_strategy, body.chunking_params);
    const extraction = await findJob(jobStore, appId, body.extraction_job_id, EXTRACTION_JOB);
    // Null values take the defaults (the AWS sample passed None on to its splitters, which failed).
    const parameters = {
      chunk_size: body.chunking_params?.chunk_size ?? CHUNKING_DEFAULTS.chunk_size,
      chunk_overlap: body.chunking_params?.chunk_overlap ?? CHUNKING_DEFAULTS.chunk_overlap,
    };
    if (extraction.state !== 'COMPLETED' && extraction.state !== 'COMPLETED_WITH_ERRORS') {
      throw new ProblemError('EXTRACTION_NOT_COMPLETED', `Extraction job ${extraction.jobId} is not in COMPLETED or COMPLETED_WITH_ERRORS state.`);
    }
    const files = (await allItems(jobStore, extraction)).filter((item) => item.state === 'SUCCEEDED').map((item) => item.itemId);
    const jobId = randomUUID();
    for (const fileName of files) {
      const message: FileMessage = { app_id: appId, job_id: jobId, file_name: fileName };
      await queue.enqueue(CHUNKING_QUEUE, message);
    }
    const input: ChunkingInput = {
      extraction_job_id: extraction.jobId,
      chunking_strategy: body.chunking_strategy,
      chunking_params: body.chunking_params ? JSON.stringify(body.chunking_params) : '',
      parameters,
    };
    const job = await jobStore.create({
      appId, kind: CHUNKING_JOB, jobId, input, items: files.map((itemId) => ({ itemId })), start: true,
      retentionSeconds: this.deps.config.retentionDays * 86_400,
    });
    this.deps.onQueued?.(CHUNKING_QUEUE);
    return { chunking_job_id: jobId, extraction_job_id: extraction.jobId, status: chunkingJobView(job).status, total_file_count: files.length };
  }

  async status(appId: string, jobId: string): Promise<Schemas['ChunkingJob']> {
    return chunkingJobView(await findJob(this.deps.jobStore, appId, jobId, CHUNKING_JOB));
  }

  async files(appId: string, jobId: string): Promise<Schemas['ChunkingJobFiles']> {
    const job = await findJob(this.deps.jobStore, appId, jobId, CHUNKING_JOB);
    return { chunking_job_id: jobId, files: (await allItems(this.deps.jobStore, job)).map(chunkingFileView) };
  }

  async fileUrl(appId: string, jobId: string, fileName: string): Promise<Schemas['ChunkFileUrl']> {
    const job = await findJob(this.deps.jobStore, appId, jobId, CHUNKING_JOB);
    const item = await findItem(this.deps.jobStore, job, fileName);
    if (item.state !== 'SUCCEEDED') throw notReady(job, item);
    const url = await this.deps.blobs.signedDownloadUrl(appId, chunksKey(jobId, fileName), { expiresInSeconds: URL_SECONDS, contentType: 'application/json' });
    return { file_name: fileName, chunk_file_url: url.url, chunking_job_id: jobId, expires_at: url.expiresAt.toISOString() };
  }

  async chunks(appId: string, jobId: string, fileName: string): Promise<Schemas['ChunkFile']> {
    const job = await findJob(this.deps.jobStore, appId, jobId, CHUNKING_JOB);
    const item = await findItem(this.deps.jobStore, job, fileName);
    if (item.state !== 'SUCCEEDED') throw notReady(job, item);
    const chunks = (await readJson(this.deps.blobs, appId, chunksKey(jobId, fileName))) as Schemas['Chunk'][];
    return { chunking_job_id: jobId, file_name: fileName, chunks };
  }

  async page(appId: string, limit: number | undefined, cursor: string | undefined): Promise<Schemas['ChunkingJobPage']> {
    const page = await pageOfJobs(this.deps.jobStore, appId, CHUNKING_JOB, limit, cursor);
    return { items: page.items.map(chunkingJobView), next: page.next };
  }

  async newest(appId: string): Promise<Schemas['ChunkingJob'][]> {
    return (await newestJobs(this.deps.jobStore, appId, CHUNKING_JOB)).map(chunkingJobView);
  }

  async cancel(appId: string, jobId: string): Promise<Schemas['ChunkingJob']> {
    return chunkingJobView(await cancelJob(this.deps.jobStore, appId, jobId, CHUNKING_JOB));
  }

  async delete(appId: string, jobId: string): Promise<Schemas['DeletedJob']> {
    return deleteJob(this.deps.jobStore, this.deps.blobs, appId, jobId, CHUNKING_JOB, (fileName) => [chunksKey(jobId, fileName)]);
  }

}
