// A chunk of a chunking job as a record of a vector index: its text, vector and every citation
// field, in the generation of the vectorisation job that writes it.
import type { StoredChunk } from '../../platform/capabilities/chunks.ts';
import type { ChunkRecord, MetadataValue } from '../index/ports.ts';
import type { VectorIndexRecord } from '../catalog/ports.ts';

/** The `extra` key holding a chunk's heading path (JSON: `extra` values are flat scalars). */
export const HEADING_PATH_KEY = 'heading_path';

export interface RecordSource {
  index: VectorIndexRecord;
  chunkingJobId: string;
  fileName: string;
  /** The vectorisation job's id. */
  generation: string;
}

export function chunkRecord(source: RecordSource, chunk: StoredChunk, vector: number[]): ChunkRecord {
  const { index } = source;
  return {
    id: chunk.chunk_id,
    vector,
    text: chunk.chunk,
    metadata: {
      app_id: index.appId, store_id: index.storeId, index_id: index.indexId,
      file_name: source.fileName, page_start: chunk.page_start, page_end: chunk.page_end, start: chunk.start, end: chunk.end,
      chunking_job_id: source.chunkingJobId, content_hash: chunk.content_hash, generation: source.generation,
      ...(chunk.heading_path?.length && { extra: { [HEADING_PATH_KEY]: JSON.stringify(chunk.heading_path) } }),
    },
  };
}

/** A hit's heading path, when its chunk had one (for search results). */
export function headingPathOf(extra: Record<string, MetadataValue>): string[] | undefined {
  const raw = extra[HEADING_PATH_KEY];
  if (typeof raw !== 'string') return undefined;
  const path: unknown = JSON.parse(raw);
  return Array.isArray(path) ? path.map(String) : undefined;
}
