// The playground's vector steps, against the vector service's paths: a store, an index, a
// vectorisation job from the chunking job, then a search. The generated platform client grows a
// `vector` entry once generated/openapi/vector.json exists; until then there is none and the
// playground hides the step. Typed here by the few calls made, so this compiles with or without it.
import type { Middleware } from 'openapi-fetch';
import { call } from './api.ts';
import { untilFinished } from './polling.ts';
import type { PlaygroundClient } from './playground-client.ts';
import type { SearchHit } from './citations.ts';

type Answer<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

interface VectorClient {
  use(...middleware: Middleware[]): void;
  POST<T>(path: string, init: { body: object }): Answer<T>;
  GET<T>(path: string, init: { params: { path: Record<string, string> } }): Answer<T>;
}

export const vectorClientOf = (client: PlaygroundClient): VectorClient | undefined => (client as unknown as { vector?: VectorClient }).vector;

export interface Indexed {
  indexId: string;
  status: string;
}

export async function indexChunks(vector: VectorClient, chunkingJobId: string): Promise<Indexed> {
  const store = await call(vector.POST<{ store_id: string }>('/vector/store/create', { body: { store_name: 'playground', store_type: 'default' } }));
  const index = await call(vector.POST<{ index_id: string }>('/vector/store/index/create', { body: { store_id: store.store_id, index_name: `playground-${Date.now()}` } }));
  const job = await call(vector.POST<{ vectorize_job_id: string }>('/vector/store/vectorize', { body: { chunking_job_id: chunkingJobId, index_id: index.index_id } }));
  const done = await untilFinished(() => call(vector.GET<{ status: string }>('/vector/job/status/{vectorize_job_id}', { params: { path: { vectorize_job_id: job.vectorize_job_id } } })));
  return { indexId: index.index_id, status: done.status };
}

export const search = (vector: VectorClient, indexId: string, query: string, k: number) =>
  call(vector.POST<SearchHit[]>('/vector/search', { body: { query, index_id: indexId, k } }));
