// The vector catalogue: the service's own metadata — which stores and indexes exist, whose they
// are, and each index's embedding model. Records, not vectors (those live in the VectorIndex).
// Adapters: SQLite (the module's migrations) and DynamoDB (the module's tables); one contract test.
//
// Tenancy: every read names the owning app; another app's id is simply not found.
import type { Page } from '../../platform/jobs/ports.ts';
import type { VectorSpace } from '../index/ports.ts';

/** Where a store's vectors live (the platform's configured backend, `VECTOR_BACKEND`). */
export type VectorBackendKind = 'embedded' | 'opensearchserverless';

export interface VectorStoreRecord {
  appId: string;
  storeId: string;
  /** As the caller named it (the seed ignored it and answered its generated name). */
  storeName: string;
  /** As the caller asked for it (`opensearchserverless` in the seed's clients). */
  storeType: string;
  backend: VectorBackendKind;
  /** The backend's name for it: the AOSS collection; the store id on the embedded backend. */
  backendName: string;
  description: string;
  tags: { key: string; value: string }[];
  createdAt: string;
}

export interface VectorIndexRecord {
  appId: string;
  storeId: string;
  /** Also the index's id in the VectorIndex backend (INDEX_ID_PATTERN): unique across apps. */
  indexId: string;
  /** As the caller named it; unique within its store. */
  indexName: string;
  /** A catalogue model of kind `embed`; queries are embedded with the same one. */
  embeddingModel: string;
  dimension: number;
  space: VectorSpace;
  createdAt: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface VectorCatalog {
  /** A store id already in use is refused (STORE_EXISTS as a thrown ProblemError is the caller's choice). */
  putStore(store: VectorStoreRecord): Promise<void>;
  getStore(appId: string, storeId: string): Promise<VectorStoreRecord | undefined>;
  /** Newest first. */
  listStores(appId: string, page?: PageRequest): Promise<Page<VectorStoreRecord>>;
  /** Removes the store record (its indexes must be removed first); false when there was none. */
  deleteStore(appId: string, storeId: string): Promise<boolean>;

  /**
   * Adds the index unless its store already has one of that name; then that one comes back with
   * `created: false` (same name twice never makes two indexes: the seed's duplicate-rows bug).
   */
  putIndex(index: VectorIndexRecord): Promise<{ created: boolean; index: VectorIndexRecord }>;
  getIndex(appId: string, indexId: string): Promise<VectorIndexRecord | undefined>;
  /** A store's indexes, oldest first. */
  listIndexes(appId: string, storeId: string, page?: PageRequest): Promise<Page<VectorIndexRecord>>;
  deleteIndex(appId: string, indexId: string): Promise<boolean>;
}
