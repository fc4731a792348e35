// Vector stores: created in the catalogue and provisioned on the backend, their status, lists,
// and deletion with every index (and its vectors) they hold.
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../platform/problems.ts';
import type { VectorBackend } from './backend.ts';
import { MAX_CATALOG_PAGE } from './catalog/pages.ts';
import type { VectorCatalog, VectorIndexRecord, VectorStoreRecord } from './catalog/ports.ts';
import { onIndex } from './index-problems.ts';
import { storeSummaryView, storeView, type Schemas } from './views.ts';

/** The AWS sample's unpaginated lists answer at most this many. */
export const LEGACY_LIST_MAX = 1000;
const DEFAULT_DESCRIPTION = 'Collection for storing vectorized documents';
const DEFAULT_TAGS = [{ key: 'project', value: 'GenerativeAI' }];

export interface VectorStoresDeps {
  catalog: VectorCatalog;
  backend: VectorBackend;
  now?: () => Date;
}

export class VectorStores {
  constructor(private readonly deps: VectorStoresDeps) {}

  async create(appId: string, body: Schemas['CreateVectorStoreRequest']): Promise<Schemas['VectorStoreCreated']> {
    const { catalog, backend } = this.deps;
    const storeId = randomUUID();
    const store: VectorStoreRecord = {
      appId, storeId, storeName: body.store_name, storeType: body.store_type, backend: backend.kind, backendName: backend.backendNameOf(storeId),
      description: body.description ?? DEFAULT_DESCRIPTION, tags: body.tags ?? DEFAULT_TAGS, createdAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };
    // Catalogued first: a provisioning that fails half-way is undone, or (if even that fails) left
    // for DELETE /vector/stores/{id} to finish — never a backend store nobody knows of.
    await catalog.putStore(store);
    try {
      await backend.provisionStore(store);
    } catch (error) {
      await backend.removeStore(store);
      await catalog.deleteStore(appId, storeId);
      throw error;
    }
    return {
      store_name: store.storeName, store_type: body.store_type, store_id: storeId, message: 'Vector store created successfully',
      status: await backend.status(store), backend: store.backend, created_at: store.createdAt,
    };
  }

  /** The app's store, or VECTOR_STORE_NOT_FOUND. */
  async find(appId: string, storeId: string): Promise<VectorStoreRecord> {
    const store = await this.deps.catalog.getStore(appId, storeId);
    if (!store) throw new ProblemError('VECTOR_STORE_NOT_FOUND', `No vector store ${storeId} for this application.`);
    return store;
  }

  async status(appId: string, storeId: string): Promise<Schemas['VectorStoreStatus']> {
    const store = await this.find(appId, storeId);
    return { store_id: storeId, status: await this.deps.backend.status(store) };
  }

  async get(appId: string, storeId: string): Promise<Schemas['VectorStore']> {
    const store = await this.find(appId, storeId);
    return storeView(store, await this.deps.backend.status(store));
  }

  async page(appId: string, limit: number | undefined, cursor: string | undefined): Promise<Schemas['VectorStorePage']> {
    const page = await this.deps.catalog.listStores(appId, { limit, cursor });
    return { items: page.items.map((store) => storeView(store)), next: page.next };
  }

  /** The newest LEGACY_LIST_MAX stores (the AWS sample's `stores/list`). */
  async newest(appId: string): Promise<Schemas['VectorStore'][]> {
    const page = await this.deps.catalog.listStores(appId, { limit: LEGACY_LIST_MAX });
    return page.items.map(storeSummaryView);
  }

  /** Its indexes first (each from the backend, then the catalogue), then the store: a retry after a failure finishes it. */
  async delete(appId: string, storeId: string): Promise<Schemas['DeletedVectorStore']> {
    const { catalog, backend } = this.deps;
    const store = await this.find(appId, storeId);
    let deleted = 0;
    for (let indexes = await allIndexes(catalog, store); indexes.length > 0; indexes = await allIndexes(catalog, store)) {
      for (const index of indexes) {
        await onIndex(index.indexId, () => backend.index.deleteIndex(index.indexId));
        if (await catalog.deleteIndex(appId, index.indexId)) deleted++;
      }
    }
    await backend.removeStore(store);
    await catalog.deleteStore(appId, storeId);
    return { store_id: storeId, deleted: true, deleted_indexes: deleted };
  }
}

async function allIndexes(catalog: VectorCatalog, store: VectorStoreRecord): Promise<VectorIndexRecord[]> {
  return (await catalog.listIndexes(store.appId, store.storeId, { limit: MAX_CATALOG_PAGE })).items;
}
