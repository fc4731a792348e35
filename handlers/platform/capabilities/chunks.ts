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
  /** The text (the seed's one field). */
  chunk: string;
  /** Stable: derived from the job, file and position. */
  chunk_id: string;
  /** Character offsets in the file's extracted text (its pages joined by a blank line), end exclusive. */
  start: number;
  end: number;
  page_start: number;
  page_end: number;
  /** The headings this chunk sits under, outermost first (empty when unknown). */
  heading_path: string[];
  /** sha256 of `chunk`, hex. */
  content_hash: string;
  /** In cl100k_base tokens (js-tiktoken's count). */
  token_count: number;
}

export interface DocumentChunks {
  /** The job with its files; undefined when the app has no chunking job of that id. */
  job(appId: string, chunkingJobId: string): Promise<ChunkingJobSummary | undefined>;
  /** A SUCCEEDED file's chunks, in order; a file without chunks is a ProblemError (RESULT_NOT_READY, FILE_NOT_FOUND, CHUNKING_JOB_NOT_FOUND). */
  read(appId: string, chunkingJobId: string, fileName: string): Promise<StoredChunk[]>;
}
