// The chunking worker's work on one file: its extracted_text.json read back, rebuilt as one text
// with page offsets, chunked with the job's strategy, and written as the chunk file (a JSON array
// of chunks, the AWS sample's `[{"chunk": …}]` with fields added).
import type { BlobStore } from '../platform/blobs/ports.ts';
import { ChunkingFailure, type Chunk, type ChunkingParams, type ChunkingStrategy, type ChunkOptions, type ChunkSource } from './chunking/ports.ts';
import { chunksKey, discardKeys, tablesKey, textKey } from './blob-keys.ts';
import { CHUNKING_JOB } from './kinds.ts';
import { FileFailure, type FileRun } from '../platform/jobs/file-runs.ts';
import { chunkSource } from './result-files.ts';
import { readJsonIfPresent } from './extraction-jobs.ts';
import type { ChunkingInput, Schemas } from './views.ts';

export type Chunker = (source: ChunkSource, strategy: ChunkingStrategy, params: ChunkingParams, options: ChunkOptions) => Chunk[];

export function chunkingRun(deps: { blobs: BlobStore; chunker: Chunker }): FileRun {
  return {
    kind: CHUNKING_JOB,
    service: 'document',
    operation: 'chunk',
    provider: null,
    async work(job, item) {
      const { appId, jobId } = job;
      const fileName = item.itemId;
      const input = job.input as ChunkingInput;
      const extracted = await readJsonIfPresent(deps.blobs, appId, textKey(input.extraction_job_id, fileName));
      if (extracted === undefined) throw new FileFailure('SOURCE_MISSING', `The extracted text of "${fileName}" is gone: extraction job ${input.extraction_job_id} was deleted.`);
      // Only table_aware reads the tables: a row never leaves its header.
      const tables = input.chunking_strategy === 'table_aware'
        ? ((await readJsonIfPresent(deps.blobs, appId, tablesKey(input.extraction_job_id, fileName))) as Schemas['ExtractedTables'] | undefined)?.tables
        : undefined;
      let chunks: Chunk[];
      try {
        chunks = deps.chunker(chunkSource(extracted as Schemas['ExtractedText'], tables), input.chunking_strategy, input.parameters, { idPrefix: `${jobId}/${fileName}` });
      } catch (error) {
        if (error instanceof ChunkingFailure) throw new FileFailure(error.code, error.message);
        // The chunker is pure: what fails once fails every time.
        throw new FileFailure('CHUNKING_FAILED', `The file could not be chunked: ${error instanceof Error ? error.message : String(error)}`);
      }
      const key = chunksKey(jobId, fileName);
      await deps.blobs.put(appId, key, JSON.stringify(chunks), { contentType: 'application/json' });
      return { result: { chunks: chunks.length }, units: { chunks: chunks.length }, discard: () => discardKeys(deps.blobs, appId, [key]) };
    },
  };
}
