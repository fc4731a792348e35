// The playground's vector steps through the generated client: a store, an index, a vectorisation
// job from the chunking job, then a search. Shown only when the platform serves the vector service.
import { call } from './api.ts';
import { untilFinished } from './polling.ts';
import type { PlaygroundClient } from './playground-client.ts';

type VectorClient = PlaygroundClient['vector'];

export interface Indexed {
  indexId: string;
  status: string;
}

export async function indexChunks(vector: VectorClient, chunkingJobId: string): Promise<Indexed> {
  const store = await call(vector.POST('/vector/store/create', { body: { store_name: 'playground', store_type: 'default' } }));
  const index = await call(vector.POST('/vector/store/index/create', { body: { store_id: store.store_id, index_name: `playground-${Date.now()}` } }));
  const job = await call(vector.POST('/vector/store/vectorize', { body: { chunking_job_id: chunkingJobId, index_id: index.index_id } }));
  const done = await untilFinished(() => call(vector.GET('/vector/job/status/{vectorize_job_id}', { params: { path: { vectorize_job_id: job.vectorize_job_id } } })));
  return { indexId: index.index_id, status: done.status };
}

export const search = (vector: VectorClient, indexId: string, query: string, k: number) =>
  call(vector.POST('/vector/search', { body: { query, index_id: indexId, k, mode: 'hybrid' } }));
