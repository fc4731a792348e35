// The vector-index port: one ANN + full-text index per vector index, holding chunk records with
// their citation fields, searched by vector, text or both (reciprocal-rank fusion). Adapters:
// embedded (usearch + SQLite FTS5, embedded/) and OpenSearch Serverless (opensearch/);
// test/adapters/vector-index-contract.ts is the behaviour both must have.
//
// Atomic swap. Every record belongs to a generation of its file (e.g. the vectorisation job that
// wrote it). Records are written into a generation that nobody sees yet; `publish` then makes
// that generation the file's live one in a single step and then removes the one it replaced.
// A search sees only live generations, so it sees a file's old chunks or its new ones, never a
// mix and never neither. Writing into a file's live generation is refused (GENERATION_IS_LIVE).
//
// Tenancy is the caller's: the service resolves an index only for the app that owns it. Records
// still carry app_id so that an index's content can be audited per app.

export type VectorSpace = 'cosine' | 'l2' | 'innerproduct';
export type SearchMode = 'vector' | 'text' | 'hybrid';

export interface IndexDefinition {
  /** Also the name of the index in the backend: lower-case letters, digits and '-' (see INDEX_ID_PATTERN). */
  indexId: string;
  dimension: number;
  space: VectorSpace;
  /** The model whose vectors the index holds (recorded; queries must use the same one). */
  embeddingModel: string;
}

/** A metadata value callers may filter on with equality. */
export type MetadataValue = string | number | boolean;

/** Where a chunk comes from: what every hit carries so that an answer can cite it. */
export interface Citation {
  file_name: string;
  page_start: number;
  page_end: number;
  /** Character offsets of the chunk in the file's extracted text, end exclusive. */
  start: number;
  end: number;
  chunking_job_id: string;
  /** sha256 of the chunk text: lets a re-vectorisation reuse the vector of an unchanged chunk. */
  content_hash: string;
  /** The file version this record belongs to (see the atomic swap above). */
  generation: string;
}

export interface RecordMetadata extends Citation {
  app_id: string;
  store_id: string;
  index_id: string;
  /** Free metadata for `filters.metadata` equality (flat, at most MAX_EXTRA_METADATA_KEYS keys). */
  extra?: Record<string, MetadataValue>;
}

export interface ChunkRecord {
  /** The chunk id: unique within a file's generation. */
  id: string;
  vector: ArrayLike<number>;
  text: string;
  metadata: RecordMetadata;
}

export interface SearchFilters {
  /** Only chunks of these files. */
  file_name?: string | string[];
  /** Only chunks overlapping these pages (inclusive). */
  page_from?: number;
  page_to?: number;
  chunking_job_id?: string;
  /** Every key must equal the record's `extra` value. */
  metadata?: Record<string, MetadataValue>;
}

export interface SearchRequest {
  mode: SearchMode;
  /** Required for `vector` and `hybrid`; of the index's dimension. */
  vector?: ArrayLike<number>;
  /** Required for `text` and `hybrid`. */
  text?: string;
  /** 1..MAX_K */
  k: number;
  filters?: SearchFilters;
  /** Hits scoring below this are dropped (after fusion for `hybrid`). */
  min_score?: number;
  /** The RRF constant for `hybrid` (default DEFAULT_K_RRF). */
  k_rrf?: number;
}

/**
 * A hit with every citation field. `score`, higher is better:
 * - vector: the OpenSearch k-NN score of the space, so both adapters agree —
 *   cosine (1 + cos) / 2 in [0, 1]; l2 1 / (1 + d²); innerproduct ip + 1 if ip ≥ 0, else 1 / (1 − ip);
 * - text: BM25 (unbounded; its scale depends on the adapter's analyser and statistics);
 * - hybrid: Σ 1 / (k_rrf + rank) over the vector and text rankings (ranks from 1).
 */
export interface SearchHit extends Citation {
  chunk_id: string;
  score: number;
  text: string;
  extra: Record<string, MetadataValue>;
}

export interface PublishOptions {
  expected?: number;
}

export const MAX_K = 100;
export const DEFAULT_K_RRF = 60;
/** Most records one upsert call takes; callers split larger files into batches (no per-file limit). */
export const MAX_UPSERT_BATCH = 1000;
/** Most content hashes one findVectors call takes. */
export const MAX_FIND_VECTORS = 1000;
export const MAX_DIMENSION = 16_000;
export const MAX_EXTRA_METADATA_KEYS = 32;
export const INDEX_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface VectorIndex {
  /** Creates the index; the same definition again is a no-op, a different one INDEX_EXISTS. */
  createIndex(definition: IndexDefinition): Promise<void>;
  /** Removes the index and all its records; an unknown index is a no-op. */
  deleteIndex(indexId: string): Promise<void>;
  describeIndex(indexId: string): Promise<IndexDefinition | undefined>;
  /** Writes records into their (not yet live) generations; the same (generation, id) again replaces. */
  upsert(indexId: string, records: ChunkRecord[]): Promise<void>;
  /**
   * Makes `generation` the file's live one and removes the generation it replaced; returns how many
   * records were removed. Other unpublished generations of the file are left to discardGeneration.
   * `expected`: how many records the generation holds. An adapter whose writes become searchable
   * only after a refresh (OpenSearch Serverless) waits, bounded, until all of them are before it
   * publishes, so a search never sees the file with chunks missing; the embedded one ignores it.
   */
  publish(indexId: string, fileName: string, generation: string, options?: PublishOptions): Promise<{ removed: number }>;
  /** Drops a generation that was never published (a failed or superseded run); the live one is kept. */
  discardGeneration(indexId: string, fileName: string, generation: string): Promise<{ removed: number }>;
  /** Removes every record of the file, live or not; returns how many. */
  deleteFile(indexId: string, fileName: string): Promise<{ removed: number }>;
  /** Vectors of live records by content hash (for skipping unchanged chunks); missing hashes are absent. */
  findVectors(indexId: string, contentHashes: string[]): Promise<Map<string, number[]>>;
  search(indexId: string, request: SearchRequest): Promise<SearchHit[]>;
  close(): Promise<void>;
}

export type VectorIndexErrorReason =
  | 'INDEX_NOT_FOUND'
  | 'INDEX_EXISTS'
  | 'INVALID_INDEX'
  | 'INVALID_RECORD'
  | 'INVALID_SEARCH'
  | 'GENERATION_IS_LIVE'
  | 'BACKEND_UNAVAILABLE';

export class VectorIndexError extends Error {
  constructor(readonly reason: VectorIndexErrorReason, message: string) {
    super(message);
    this.name = 'VectorIndexError';
  }
}
