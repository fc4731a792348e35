// Where the vectors of the platform's stores live: the store lifecycle of a backend and its
// VectorIndex. Embedded (npm start): stores are a name, ACTIVE at once; every index lives in one
// usearch + SQLite FTS5 directory under DATA_DIR. OpenSearch Serverless (AWS): a collection per
// store (index/opensearch/collections.ts), provisioned asynchronously (CREATING → ACTIVE).
import type { VectorIndex } from './index/ports.ts';
import type { VectorBackendKind, VectorStoreRecord } from './catalog/ports.ts';

export type StoreStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'NOT_FOUND';

export interface VectorBackend {
  readonly kind: VectorBackendKind;
  /** The backend's name for a new store (the AOSS collection name). */
  backendNameOf(storeId: string): string;
  /** Starts provisioning the store; running it again completes a provisioning that failed half-way. */
  provisionStore(store: VectorStoreRecord): Promise<void>;
  status(store: VectorStoreRecord): Promise<StoreStatus>;
  /** Removes what the store holds in the backend (its indexes are deleted before). */
  removeStore(store: VectorStoreRecord): Promise<void>;
  /** Every index of every store, addressed by the catalogue's index id. */
  readonly index: VectorIndex;
  close(): Promise<void>;
}
