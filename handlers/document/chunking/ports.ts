// The chunking port: a file's extracted text in, chunks with exact offsets and page spans out.
// Pure and synchronous: the worker calls it on text it has already read.

export type ChunkingStrategy = 'fixed_size' | 'recursive' | 'page' | 'markdown' | 'sentence' | 'token' | 'table_aware';

export interface ChunkingParams {
  chunk_size?: number;
  chunk_overlap?: number;
}

export interface ChunkSource {
  /** The file's extracted plain text: its pages' `text` joined with PAGE_SEPARATOR. */
  text: string;
  /** Where each page's text lies in `text` (character offsets, end exclusive), in page order. */
  pages: { page_number: number; start: number; end: number }[];
  /** Tables with their position in `text`, for `table_aware` (a row never leaves its header). */
  tables?: { start: number; end: number; header_rows: number; rows: string[][] }[];
  /** JSON and JSONL files are chunked by value, as the seed did. */
  format?: 'text' | 'markdown' | 'json' | 'jsonl';
}

export const PAGE_SEPARATOR = '\n\n';

export interface Chunk {
  /** The seed's one field. */
  chunk: string;
  /** Stable: derived from the job, file and position. */
  chunk_id: string;
  /** Character offsets into ChunkSource.text, end exclusive: `text.slice(start, end) === chunk`. */
  start: number;
  end: number;
  page_start: number;
  page_end: number;
  /** The headings this chunk sits under, outermost first (empty when unknown). */
  heading_path: string[];
  /** sha256 of `chunk`, hex. */
  content_hash: string;
  /** In the `token` strategy's tokenizer. */
  token_count: number;
}
