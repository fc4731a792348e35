// A test platform whose vector backend the test can reach: to write records straight into an
// index (no embeddings) and to play a store that is not ACTIVE yet.
import { MODULES } from '../../handlers/modules.ts';
import { createVectorModule } from '../../handlers/vector/module.ts';
import { createVectorBackend } from '../../handlers/vector/backends/create-backend.ts';
import type { StoreStatus, VectorBackend } from '../../handlers/vector/backend.ts';
import type { ChunkRecord } from '../../handlers/vector/index/ports.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

export interface VectorTestPlatform extends TestPlatform {
  backend: VectorBackend;
  /** What `status` answers for a store, instead of the backend (e.g. CREATING). */
  storeStatus: Map<string, StoreStatus>;
}

export async function startVectorPlatform(env: Record<string, string> = {}, dataDir?: string): Promise<VectorTestPlatform> {
  let backend: VectorBackend | undefined;
  const storeStatus = new Map<string, StoreStatus>();
  const vector = createVectorModule({
    backend: async (config, deps) => {
      const real = await createVectorBackend(config, deps);
      backend = { ...real, index: real.index, status: async (store) => storeStatus.get(store.storeId) ?? real.status(store) };
      return backend;
    },
  });
  const t = await startTestPlatform(env, dataDir, MODULES.map((m) => (m.name === 'vector' ? vector : m)));
  if (!backend) throw new Error('the vector module did not start');
  return { ...t, backend, storeStatus };
}

export interface ChunkSpec {
  file: string;
  n: number;
  vector: number[];
  text: string;
  page?: number;
  chunkingJobId?: string;
  extra?: ChunkRecord['metadata']['extra'];
}

/** Writes the chunks into the index as a file's new generation and publishes it (what the worker does). */
export async function putChunks(backend: VectorBackend, target: { appId: string; storeId: string; indexId: string }, chunks: ChunkSpec[], generation = 'g1') {
  const records: ChunkRecord[] = chunks.map((c) => ({
    id: String(c.n), vector: c.vector, text: c.text,
    metadata: {
      app_id: target.appId, store_id: target.storeId, index_id: target.indexId, file_name: c.file, generation,
      page_start: c.page ?? 1, page_end: c.page ?? 1, start: c.n * 100, end: c.n * 100 + c.text.length,
      chunking_job_id: c.chunkingJobId ?? 'chunking-1', content_hash: `${c.file}-${c.n}-${generation}`, extra: c.extra ?? {},
    },
  }));
  await backend.index.upsert(target.indexId, records);
  for (const file of new Set(chunks.map((c) => c.file))) await backend.index.publish(target.indexId, file, generation);
}

/** A unit vector of `dimension` along `axis`, tilted towards the next axis by `tilt` (so neighbours have a strict order). */
export function axisVector(dimension: number, axis: number, tilt = 0): number[] {
  const v = new Array<number>(dimension).fill(0);
  v[axis % dimension] = 1;
  v[(axis + 1) % dimension] = tilt;
  const norm = Math.hypot(1, tilt);
  return v.map((x) => x / norm);
}
