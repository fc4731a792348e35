// The OpenSearch Serverless backend (VECTOR_BACKEND=opensearchserverless): a VECTORSEARCH collection
// per store with its policies (index/opensearch/collections.ts), and the store's indexes inside it
// (index/opensearch/opensearch-vector-index.ts). Indexes are addressed by id alone, so the data
// plane finds an index's collection through the catalogue (index → store) and AOSS (store →
// endpoint); both answers never change while the store lives, so they are cached.
import { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import type { AwsSigv4SignerOptions } from '@opensearch-project/opensearch/aws-v3';
import type { VectorBackend } from '../backend.ts';
import type { IndexLocator } from '../catalog/dynamodb-vector-catalog.ts';
import type { VectorBackendConfig } from '../config.ts';
import { VectorIndexError } from '../index/ports.ts';
import { collectionName, StoreCollections } from '../index/opensearch/collections.ts';
import type { LiveGenerations } from '../index/opensearch/live-generations.ts';
import { openSearchVectorIndex } from '../index/opensearch/opensearch-vector-index.ts';
import type { SearchableWait } from '../index/opensearch/searchable-wait.ts';

export type OpenSearchServerlessConfig = Extract<VectorBackendConfig, { kind: 'opensearchserverless' }>;

export interface OpenSearchBackendDeps {
  /** Finds an index's store (the DynamoDB catalogue is one). */
  catalog: IndexLocator;
  /** Which generation of each file is live (DynamoDB on AWS: dynamoLiveGenerations). */
  live: LiveGenerations;
  /** The control-plane client; one for the configured region by default. */
  aoss?: OpenSearchServerlessClient;
  /** SigV4 credentials of the data plane; the SDK's provider chain (the task role) by default. */
  credentials?: AwsSigv4SignerOptions['getCredentials'];
  searchableWait?: SearchableWait;
}

export function createOpenSearchBackend(config: OpenSearchServerlessConfig, deps: OpenSearchBackendDeps): VectorBackend {
  const aoss = deps.aoss ?? new OpenSearchServerlessClient({ region: config.region });
  const collections = new StoreCollections(aoss, config);
  const storeOfIndex = new Map<string, string>();
  const endpointOfStore = new Map<string, string>();

  async function endpointOf(indexId: string): Promise<string> {
    let storeId = storeOfIndex.get(indexId);
    if (!storeId) {
      storeId = (await deps.catalog.locateIndex(indexId))?.storeId;
      if (!storeId) throw new VectorIndexError('INDEX_NOT_FOUND', `index ${indexId} is not in the catalogue`);
      storeOfIndex.set(indexId, storeId);
    }
    const cached = endpointOfStore.get(storeId);
    if (cached) return cached;
    const collection = await collections.status(storeId);
    if (collection.status !== 'ACTIVE' || !collection.endpoint) {
      throw new VectorIndexError('BACKEND_UNAVAILABLE', `the collection of store ${storeId} is ${collection.status}, not ACTIVE`);
    }
    endpointOfStore.set(storeId, collection.endpoint);
    return collection.endpoint;
  }

  const index = openSearchVectorIndex({
    endpointOf, region: config.region, live: deps.live,
    ...(deps.credentials && { credentials: deps.credentials }),
    ...(deps.searchableWait && { searchableWait: deps.searchableWait }),
  });

  return {
    kind: 'opensearchserverless',
    backendNameOf: (storeId) => collectionName(config.prefix, storeId),
    async provisionStore(store) {
      await collections.create(store.storeId, {
        ...(store.description && { description: store.description }),
        ...(store.tags.length > 0 && { tags: store.tags }),
      });
    },
    async status(store) {
      return (await collections.status(store.storeId)).status;
    },
    async removeStore(store) {
      endpointOfStore.delete(store.storeId);
      for (const [indexId, storeId] of storeOfIndex) if (storeId === store.storeId) storeOfIndex.delete(indexId);
      await collections.delete(store.storeId);
    },
    index,
    async close() {
      await index.close();
      if (!deps.aoss) aoss.destroy();
    },
  };
}
