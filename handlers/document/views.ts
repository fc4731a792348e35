// Jobs and items of the kernel's job store as the API shows them: the AWS sample's field names
// and status words, plus counts, progress, per-file errors and times.
import type { components } from '../../generated/types/document.ts';
import type { Job, JobItem } from '../platform/jobs/ports.ts';
import type { FileError } from '../platform/jobs/file-runs.ts';

export type Schemas = components['schemas'];

/** What a successful extraction stores in its item. */
export interface ExtractionOutcome {
  format: string;
  pages: number;
  ocr_pages: number;
  textract_pages: number;
  tables: number;
}

export interface ChunkingInput {
  extraction_job_id: string;
  chunking_strategy: Schemas['ChunkingStrategy'];
  chunking_params: string;
  parameters: { chunk_size: number; chunk_overlap: number };
}

const times = (job: Job) => ({ created_at: job.createdAt, updated_at: job.updatedAt, ...(job.finishedAt && { finished_at: job.finishedAt }) });

export function extractionJobView(job: Job): Schemas['ExtractionJob'] {
  const status = job.state === 'QUEUED' ? 'STARTED' : job.state;
  return {
    job_id: job.jobId,
    extraction_job_id: job.jobId,
    status,
    total_file_count: job.total,
    completed_file_count: job.succeeded,
    failed_file_count: job.failed,
    cancelled_file_count: job.cancelled,
    queued_files: job.state === 'CREATED' ? 0 : job.total,
    progress: job.progress,
    ...times(job),
  };
}

export function extractionFileView(job: Job, item: JobItem): Schemas['ExtractionFile'] {
  const outcome = item.result as ExtractionOutcome | undefined;
  return {
    job_id: job.jobId,
    file_name: item.itemId,
    status: fileStatus(job, item),
    file_id: (item.input as { file_id: string }).file_id,
    ...(outcome && { format: outcome.format, pages: outcome.pages, ocr_pages: outcome.ocr_pages, textract_pages: outcome.textract_pages, tables: outcome.tables }),
    ...(item.error !== undefined && { error: item.error as FileError }),
    attempts: item.attempts,
    updated_at: item.updatedAt,
  };
}

/** A file of a job still taking files is PENDING (the AWS sample's word); a finished one COMPLETED. */
export function fileStatus(job: Job, item: JobItem): Schemas['ExtractionFileStatus'] {
  if (item.state === 'QUEUED' && job.state === 'CREATED') return 'PENDING';
  return item.state === 'SUCCEEDED' ? 'COMPLETED' : item.state;
}

export function chunkingJobView(job: Job): Schemas['ChunkingJob'] {
  const input = job.input as ChunkingInput;
  return {
    chunking_job_id: job.jobId,
    extraction_job_id: input.extraction_job_id,
    // Chunking jobs are created sealed; CREATED never shows, but reads as the queue it is about to be.
    status: job.state === 'CREATED' ? 'QUEUED' : job.state,
    chunking_strategy: input.chunking_strategy,
    chunking_params: input.chunking_params,
    parameters: input.parameters,
    total_file_count: job.total,
    queued_files: job.total,
    completed_files: job.succeeded,
    failed_files: job.failed,
    cancelled_files: job.cancelled,
    progress: job.progress,
    ...times(job),
  };
}

export function chunkingFileView(item: JobItem): Schemas['ChunkingFile'] {
  const outcome = item.result as { chunks: number } | undefined;
  return {
    file_name: item.itemId,
    status: item.state === 'SUCCEEDED' ? 'COMPLETED' : item.state,
    timestamp: item.createdAt,
    ...(outcome && { chunks: outcome.chunks }),
    ...(item.error !== undefined && { error: item.error as FileError }),
    attempts: item.attempts,
    updated_at: item.updatedAt,
  };
}
