// Vector indexes: one embedding model each (its dimension from the model catalogue), one per name
// in a store, created in the backend once catalogued; status, lists, deletion with its vectors.
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../platform/problems.ts';
import type { ModelGateway } from '../platform/capabilities/models.ts';
import { modelContext, type AppCall } from './app-call.ts';
import type { VectorBackend } from './backend.ts';
import type { VectorCatalog, VectorIndexRecord } from './catalog/ports.ts';
import { resolveEmbeddingModel } from './embedding-models.ts';
import { onIndex } from './index-problems.ts';
import type { IndexDefinition } from './index/ports.ts';
import { LEGACY_LIST_MAX, type VectorStores } from './stores.ts';
import { indexSummaryView, indexView, type Schemas } from './views.ts';

const DEFAULT_SPACE = 'cosine';

export interface VectorIndexesDeps {
  catalog: VectorCatalog;
  backend: VectorBackend;
  stores: VectorStores;
  models: ModelGateway;
  /** VECTOR_EMBEDDING_MODEL */
  defaultEmbeddingModel?: string;
  now?: () => Date;
}

const definitionOf = (index: VectorIndexRecord): IndexDefinition => ({
  indexId: index.indexId, dimension: index.dimension, space: index.space, embeddingModel: index.embeddingModel,
});

export class VectorIndexes {
  constructor(private readonly deps: VectorIndexesDeps) {}

  async create(call: AppCall, body: Schemas['CreateVectorIndexRequest']): Promise<Schemas['VectorIndexCreated']> {
    const { catalog, backend, stores, models } = this.deps;
    const appId = call.principal.appId;
    const store = await stores.find(appId, body.store_id);
    const model = await resolveEmbeddingModel(models, this.deps.defaultEmbeddingModel, body.embedding_model, modelContext(call));
    const status = await backend.status(store);
    if (status !== 'ACTIVE') throw new ProblemError('VECTOR_STORE_NOT_READY', `Store ${store.storeId} is ${status}; create indexes once it is ACTIVE (poll store/status).`);
    const { created, index } = await catalog.putIndex({
      appId, storeId: store.storeId, indexId: randomUUID(), indexName: body.index_name, embeddingModel: model.name,
      dimension: model.dimension, space: body.space ?? DEFAULT_SPACE, createdAt: (this.deps.now?.() ?? new Date()).toISOString(),
    });
    if (!created && (index.embeddingModel !== model.name || (body.space !== undefined && body.space !== index.space))) {
      throw new ProblemError('VECTOR_INDEX_EXISTS', `Store ${store.storeId} has an index ${body.index_name} of model ${index.embeddingModel} and space ${index.space}.`);
    }
    // Also for an existing index: the same definition again is a no-op, and it completes a
    // creation that stopped between the catalogue and the backend.
    try {
      await onIndex(index.indexId, () => backend.index.createIndex(definitionOf(index)));
    } catch (error) {
      if (created) await catalog.deleteIndex(appId, index.indexId);
      throw error;
    }
    return {
      index_name: index.indexName, index_id: index.indexId, store_id: store.storeId, store_type: store.storeType as Schemas['StoreType'],
      message: 'Index created successfully', embedding_model: index.embeddingModel, dimension: index.dimension, space: index.space, created,
    };
  }

  /** The app's index, or VECTOR_INDEX_NOT_FOUND. */
  async find(appId: string, indexId: string): Promise<VectorIndexRecord> {
    const index = await this.deps.catalog.getIndex(appId, indexId);
    if (!index) throw new ProblemError('VECTOR_INDEX_NOT_FOUND', `No vector index ${indexId} for this application.`);
    return index;
  }

  async status(appId: string, indexId: string): Promise<Schemas['VectorIndexStatus']> {
    const index = await this.find(appId, indexId);
    const described = await onIndex(indexId, () => this.deps.backend.index.describeIndex(indexId));
    return { index_id: indexId, status: described ? 'ACTIVE' : 'NOT_FOUND_OR_READY' };
  }

  async get(appId: string, indexId: string): Promise<Schemas['VectorIndex']> {
    return indexView(await this.find(appId, indexId));
  }

  async page(appId: string, storeId: string, limit: number | undefined, cursor: string | undefined): Promise<Schemas['VectorIndexPage']> {
    await this.deps.stores.find(appId, storeId);
    const page = await this.deps.catalog.listIndexes(appId, storeId, { limit, cursor });
    return { items: page.items.map(indexView), next: page.next };
  }

  /** The store's first LEGACY_LIST_MAX indexes (the AWS sample's `store/{store_id}/indexes`). */
  async all(appId: string, storeId: string): Promise<Schemas['VectorIndex'][]> {
    await this.deps.stores.find(appId, storeId);
    return (await this.deps.catalog.listIndexes(appId, storeId, { limit: LEGACY_LIST_MAX })).items.map(indexSummaryView);
  }

  async delete(appId: string, indexId: string): Promise<Schemas['DeletedVectorIndex']> {
    await this.find(appId, indexId);
    await onIndex(indexId, () => this.deps.backend.index.deleteIndex(indexId));
    await this.deps.catalog.deleteIndex(appId, indexId);
    return { index_id: indexId, deleted: true };
  }
}
