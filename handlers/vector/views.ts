// Stores, indexes and hits as the API shows them: the AWS sample's field names, plus the backend,
// times, the index's model, and a citation on every hit.
import type { components } from '../../generated/types/vector.ts';
import type { StoreStatus } from './backend.ts';
import type { VectorIndexRecord, VectorStoreRecord } from './catalog/ports.ts';
import { splitHitMetadata } from './chunk-metadata.ts';
import type { SearchHit } from './index/ports.ts';

export type Schemas = components['schemas'];

export function storeView(store: VectorStoreRecord, status?: StoreStatus): Schemas['VectorStore'] {
  return {
    store_id: store.storeId,
    store_type: store.storeType as Schemas['StoreType'],
    store_name: store.storeName,
    created_at: store.createdAt,
    backend: store.backend,
    description: store.description,
    tags: store.tags,
    ...(status && { status }),
  };
}

/** What the AWS sample's `stores/list` answers for each store. */
export const storeSummaryView = (store: VectorStoreRecord): Schemas['VectorStore'] => ({
  store_id: store.storeId, store_type: store.storeType as Schemas['StoreType'], store_name: store.storeName, created_at: store.createdAt,
});

export const indexView = (index: VectorIndexRecord): Schemas['VectorIndex'] => ({
  index_id: index.indexId, index_name: index.indexName, embedding_model: index.embeddingModel, dimension: index.dimension,
  store_id: index.storeId, space: index.space, created_at: index.createdAt,
});

/** What the AWS sample's `store/{store_id}/indexes` answers for each index. */
export const indexSummaryView = (index: VectorIndexRecord): Schemas['VectorIndex'] => ({
  index_id: index.indexId, index_name: index.indexName, embedding_model: index.embeddingModel, dimension: index.dimension,
});

export function hitView(hit: SearchHit): Schemas['SearchHit'] {
  return {
    text: hit.text, score: hit.score, chunk_id: hit.chunk_id, file_name: hit.file_name, page_start: hit.page_start, page_end: hit.page_end,
    start: hit.start, end: hit.end, chunking_job_id: hit.chunking_job_id, ...splitHitMetadata(hit.extra),
  };
}
