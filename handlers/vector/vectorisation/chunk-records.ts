// A chunk of a chunking job as a record of a vector index: its text, vector and every citation
// field, in the generation of the vectorisation job that writes it.
import type { StoredChunk } from '../../platform/capabilities/chunks.ts';
import type { ChunkRecord } from '../index/ports.ts';
import type { VectorIndexRecord } from '../catalog/ports.ts';
import { headingPathExtra } from '../chunk-metadata.ts';

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
      extra: headingPathExtra(chunk.heading_path ?? []),
    },
  };
}
