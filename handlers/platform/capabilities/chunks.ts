// The `chunks` capability: what a module may read of the document service's chunking jobs without
// importing it (the vector service vectorises a chunking job's files). The document module provides
// it; a consumer declares `requires: ['chunks']`. Reads are on an application's behalf: another
// app's job is not found. Domain types only; failures are ProblemErrors with the document API's codes.
import type { JobState } from '../jobs/ports.ts';

/** One file of a chunking job and where it stands. */
export interface ChunkedFileState {
  file_name: string;
  /** SUCCEEDED files have chunks to read. */
  state: 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
}

export interface ChunkingJobSummary {
  chunking_job_id: string;
  state: JobState;
  /** Every file of the job, in file-name order. */
  files: ChunkedFileState[];
}

/** A chunk as the chunker made it (the document API's `Chunk`): what a citation needs. */
export interface StoredChunk {
  chunk: string;
  chunk_id: string;
  /** Character offsets in the file's extracted text, end exclusive. */
  start: number;
  end: number;
  page_start: number;
  page_end: number;
  heading_path: string[];
  /** sha256 of `chunk`, hex. */
  content_hash: string;
  token_count: number;
}

export interface DocumentChunks {
  /** The job with its files; undefined when the app has no chunking job of that id. */
  job(appId: string, chunkingJobId: string): Promise<ChunkingJobSummary | undefined>;
  /** A SUCCEEDED file's chunks, in order; a file without chunks is a ProblemError (RESULT_NOT_READY, FILE_NOT_FOUND, CHUNKING_JOB_NOT_FOUND). */
  read(appId: string, chunkingJobId: string, fileName: string): Promise<StoredChunk[]>;
}
