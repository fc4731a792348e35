// The worker's work on one file of a vectorisation job (run by the kernel's runFile: at least
// once, ended once). Its chunks are read through the `chunks` capability; a chunk whose content
// hash the index already holds live reuses that vector; the rest are embedded in batches through
// the `models` capability on the app's behalf (each batch is a ledger row of the model service,
// `vector.embed`, within the app's limits). The records are written into the generation named by
// the job id, which nobody sees, then published in one step (index/ports.ts: atomic swap).
//
// A redelivery after a crash between publish and the item's completion finds its own generation
// live: findVectors then returns every vector (nothing is embedded again), the upsert is refused
// with GENERATION_IS_LIVE, and publishing again changes nothing, so the file just ends.
import type { AppStore } from '../../platform/store/ports.ts';
import type { JobStore } from '../../platform/jobs/ports.ts';
import type { DocumentChunks, StoredChunk } from '../../platform/capabilities/chunks.ts';
import type { ModelCallContext, ModelGateway } from '../../platform/capabilities/models.ts';
import { FileFailure, type FileAttempt, type FileError, type FileRun } from '../../platform/jobs/file-runs.ts';
import { ProblemError } from '../../platform/problems.ts';
import { problems } from '../../../generated/problems.ts';
import { MAX_FIND_VECTORS, MAX_UPSERT_BATCH, VectorIndexError, type VectorIndex } from '../index/ports.ts';
import type { VectorCatalog, VectorIndexRecord } from '../catalog/ports.ts';
import { VECTORISATION_JOB } from '../kinds.ts';
import { chunkRecord, type RecordSource } from './chunk-records.ts';
import type { VectorisationInput, VectorisationOutcome } from './ports.ts';

export interface VectorisationRunDeps {
  catalog: Pick<VectorCatalog, 'getIndex'>;
  index: VectorIndex;
  models: Pick<ModelGateway, 'embed'>;
  chunks: DocumentChunks;
  apps: Pick<AppStore, 'findById'>;
  jobStore: Pick<JobStore, 'get'>;
  /** Chunks embedded per model call (VECTOR_EMBED_BATCH_SIZE). */
  embedBatchSize: number;
}

const cancelled = () => new FileFailure('CANCELLED', 'The job was cancelled while the file was vectorised.');

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A model problem the caller caused (a 4xx other than throttling or a conflict: unknown model,
 * context window exceeded, rejected by the provider) fails the same way every time.
 */
function lastingFailure(error: unknown): FileError | undefined {
  if (error instanceof ProblemError) {
    const { status } = problems[error.code];
    if (status >= 400 && status < 500 && status !== 409 && status !== 429) return { code: error.code, detail: error.detail };
  }
  if (error instanceof VectorIndexError && error.reason === 'INDEX_NOT_FOUND') {
    return { code: 'VECTOR_INDEX_NOT_FOUND', detail: 'The index was deleted while the file was vectorised.' };
  }
  return undefined;
}

export function vectorisationRun(deps: VectorisationRunDeps): FileRun {
  const discard = async (indexId: string, fileName: string, generation: string) => {
    try {
      await deps.index.discardGeneration(indexId, fileName, generation);
    } catch (error) {
      if (!(error instanceof VectorIndexError && error.reason === 'INDEX_NOT_FOUND')) throw error;
    }
  };

  /** Vectors for every distinct chunk: the index's live ones by content hash, the rest embedded now. */
  async function vectorsOf(index: VectorIndexRecord, chunks: StoredChunk[], context: ModelCallContext): Promise<{ vectors: Map<string, number[]>; reused: number }> {
    const hashes = [...new Set(chunks.map((chunk) => chunk.content_hash))];
    const vectors = new Map<string, number[]>();
    for (const part of batches(hashes, MAX_FIND_VECTORS)) {
      for (const [hash, vector] of await deps.index.findVectors(index.indexId, part)) vectors.set(hash, vector);
    }
    const reused = chunks.filter((chunk) => vectors.has(chunk.content_hash)).length;
    const textOf = new Map(chunks.map((chunk) => [chunk.content_hash, chunk.chunk]));
    for (const part of batches(hashes.filter((hash) => !vectors.has(hash)), deps.embedBatchSize)) {
      if (context.signal.aborted) throw cancelled();
      const { embeddings } = await deps.models.embed(context, { model: index.embeddingModel, texts: part.map((hash) => textOf.get(hash)!) });
      if (embeddings.length !== part.length || embeddings.some((vector) => vector.length !== index.dimension)) {
        const got = embeddings.find((vector) => vector.length !== index.dimension)?.length ?? embeddings.length;
        throw new FileFailure('DIMENSION_MISMATCH', `${index.embeddingModel} answered vectors the index cannot hold (${got} where the index has ${index.dimension} dimensions, one per chunk).`);
      }
      part.forEach((hash, i) => vectors.set(hash, embeddings[i]!));
    }
    return { vectors, reused };
  }

  async function vectorise(source: RecordSource, chunks: StoredChunk[], attempt: FileAttempt, appId: string): Promise<VectorisationOutcome> {
    const { index, generation } = source;
    const app = await deps.apps.findById(appId);
    if (!app) throw new FileFailure('APP_NOT_FOUND', 'The application no longer exists.');
    const context: ModelCallContext = { appId, limits: app.limits, requestId: attempt.requestId, signal: attempt.signal, via: 'vector' };
    const { vectors, reused } = await vectorsOf(index, chunks, context);
    const records = chunks.map((chunk) => chunkRecord(source, chunk, vectors.get(chunk.content_hash)!));
    let live = false;
    for (const part of batches(records, MAX_UPSERT_BATCH)) {
      if (attempt.signal.aborted) throw cancelled();
      try {
        await deps.index.upsert(index.indexId, part);
      } catch (error) {
        if (!(error instanceof VectorIndexError && error.reason === 'GENERATION_IS_LIVE')) throw error;
        live = true; // published by an earlier delivery of this message
        break;
      }
    }
    if (!live) {
      // The last moment a cancellation or a deletion of the job keeps the file's old version.
      const job = await deps.jobStore.get(appId, generation);
      if (!job || job.state === 'CANCELLED') throw cancelled();
    }
    const { removed } = await deps.index.publish(index.indexId, source.fileName, generation);
    return { chunks: chunks.length, embedded: chunks.length - reused, reused, removed };
  }

  return {
    kind: VECTORISATION_JOB,
    service: 'vector',
    operation: 'vectorise',
    provider: null,
    failureOf: lastingFailure,
    async work(job, item, attempt) {
      const input = job.input as VectorisationInput;
      const fileName = item.itemId;
      const index = await deps.catalog.getIndex(job.appId, input.index_id);
      if (!index) throw new FileFailure('VECTOR_INDEX_NOT_FOUND', 'The index was deleted.');
      const source: RecordSource = { index, chunkingJobId: input.chunking_job_id, fileName, generation: job.jobId };
      try {
        const chunks = await deps.chunks.read(job.appId, input.chunking_job_id, fileName);
        const result = await vectorise(source, chunks, attempt, job.appId);
        return {
          result, units: { chunks: result.chunks, vectors: result.chunks },
          discard: () => discard(index.indexId, fileName, job.jobId),
        };
      } catch (error) {
        // The worker aborts the signal when the job is cancelled or deleted (its cancelReason).
        if (attempt.signal.aborted || (error instanceof FileFailure && error.code === 'CANCELLED')) {
          await discard(index.indexId, fileName, job.jobId);
          throw cancelled();
        }
        throw error;
      }
    },
    async ended(job, item) {
      // A file that did not succeed leaves no unpublished generation behind (the live one stays).
      if (item.state !== 'SUCCEEDED') await discard((job.input as VectorisationInput).index_id, item.itemId, job.jobId);
    },
  };
}
