// What vectorisation needs from the rest of the vector service and the platform. The worker turns
// one file of a chunking job into records of one index: chunks read through the `chunks`
// capability, embedded in batches through the `models` capability (so every embedding is metered
// and attributed to the app), unchanged chunks reused by content hash, written into a generation
// nobody sees, then published in one step (index/ports.ts: atomic swap).
import type { Kernel } from '../../platform/module.ts';
import type { ModelGateway } from '../../platform/capabilities/models.ts';
import type { DocumentChunks } from '../../platform/capabilities/chunks.ts';
import type { VectorCatalog } from '../catalog/ports.ts';
import type { VectorBackend } from '../backend.ts';
import type { VectorConfig } from '../config.ts';

export interface VectorisationDeps {
  kernel: Pick<Kernel, 'jobStore' | 'jobs' | 'ledger' | 'apps' | 'log'>;
  catalog: VectorCatalog;
  backend: VectorBackend;
  models: ModelGateway;
  chunks: DocumentChunks;
  config: VectorConfig;
}

/** A vectorisation job's input in the job store. */
export interface VectorisationInput {
  chunking_job_id: string;
  store_id: string;
  index_id: string;
  embedding_model: string;
}

/** What a vectorised file stores in its job item. */
export interface VectorisationOutcome {
  chunks: number;
  /** Embedded now; the rest reused the vector of an identical chunk already in the index. */
  embedded: number;
  reused: number;
  /** Records of the replaced generation removed by the swap. */
  removed: number;
}
