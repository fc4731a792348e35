// Vectorisation jobs and their files as the API shows them: the seed's field names and status
// words (a sealed job not yet taken by a worker is STARTED), plus counts, progress, per-file
// outcomes (chunks embedded or reused) and errors.
import type { components } from '../../../generated/types/vector.ts';
import type { Job, JobItem } from '../../platform/jobs/ports.ts';
import type { FileError } from '../../platform/jobs/file-runs.ts';
import type { VectorisationInput, VectorisationOutcome } from './ports.ts';

export type Schemas = components['schemas'];

export function vectorisationJobView(job: Job): Schemas['VectorizeJob'] {
  const input = job.input as VectorisationInput;
  return {
    vectorize_job_id: job.jobId,
    vector_store_id: input.store_id,
    index_id: input.index_id,
    chunking_job_id: input.chunking_job_id,
    embedding_model: input.embedding_model,
    // Created sealed: CREATED never lasts; both it and QUEUED read as the seed's STARTED.
    status: job.state === 'QUEUED' || job.state === 'CREATED' ? 'STARTED' : job.state,
    total_file_count: job.total,
    queued_files: job.total,
    completed_file_count: job.succeeded,
    failed_file_count: job.failed,
    cancelled_file_count: job.cancelled,
    progress: job.progress,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    ...(job.finishedAt && { finished_at: job.finishedAt }),
  };
}

export function vectorisationFileView(item: JobItem): Schemas['VectorizeJobFile'] {
  const outcome = item.result as VectorisationOutcome | undefined;
  return {
    file_name: item.itemId,
    status: item.state === 'SUCCEEDED' ? 'COMPLETED' : item.state,
    ...(outcome && { chunks: outcome.chunks, embedded: outcome.embedded, reused: outcome.reused }),
    ...(item.error !== undefined && { error: item.error as FileError }),
    attempts: item.attempts,
    updated_at: item.updatedAt,
  };
}
