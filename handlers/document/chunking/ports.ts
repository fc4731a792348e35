// The chunking port: a file's extracted text in, chunks with exact offsets and page spans out.
// Pure and synchronous: the worker calls it on text it has already read.
import type { StoredChunk } from '../../platform/capabilities/chunks.ts';

export type ChunkingStrategy = 'fixed_size' | 'recursive' | 'page' | 'markdown' | 'sentence' | 'token' | 'table_aware';

/**
 * As sent in `create_job` (null means "the default", which the seed turned into a crash).
 * Limits: see CHUNKING_LIMITS in params.ts; `validateChunkingParams` lists what is wrong.
 */
export interface ChunkingParams {
  /** Characters (UTF-16 code units, as JavaScript counts them); tokens for `token`. Default 1000. */
  chunk_size?: number | null;
  /** How much of the end of a chunk the next one repeats, in the same unit; < chunk_size. Default 0. */
  chunk_overlap?: number | null;
}

export interface ChunkOptions {
  /** Prefix of every `chunk_id`, e.g. `<chunking_job_id>/<file_name>`; the chunk's ordinal follows it. */
  idPrefix: string;
}

export interface ChunkSource {
  /** The file's extracted plain text: its pages' `text` joined with PAGE_SEPARATOR. */
  text: string;
  /** Where each page's text lies in `text` (character offsets, end exclusive), in page order. */
  pages: { page_number: number; start: number; end: number }[];
  /**
   * Tables with their position in `text`, for `table_aware` (a row never leaves its header).
   * Each row is one line of `text` inside [start, end) (cells separated by tabs or `|`); lines that
   * are only markup (`<table>`) are skipped. A table whose lines do not match `rows` is kept whole.
   */
  tables?: { start: number; end: number; header_rows: number; rows: string[][] }[];
  /** JSON and JSONL files are chunked by value, as the seed did. */
  format?: 'text' | 'markdown' | 'json' | 'jsonl';
}

export const PAGE_SEPARATOR = '\n\n';

/** A chunk with exact offsets and page span: the kernel's StoredChunk (what the `chunks` capability serves), plus: */
export interface Chunk extends StoredChunk {
  /**
   * `table_aware` only, on a chunk that continues a table too large for one chunk: the table's
   * header lines, repeated ahead of its rows. Then `chunk === repeated_header + text.slice(start, end)`
   * (for every other chunk `chunk === text.slice(start, end)`).
   */
  repeated_header?: string;
}

/** Why a file could not be chunked: a stable code for the file's status. */
export type ChunkingFailureCode = 'INVALID_JSON';

export class ChunkingFailure extends Error {
  constructor(readonly code: ChunkingFailureCode, detail: string) {
    super(detail);
  }
}
