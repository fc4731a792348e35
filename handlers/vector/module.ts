// The vector service as a platform module: stores and indexes in its catalogue, vectors in the
// configured backend (embedded usearch + FTS5, or OpenSearch Serverless), vectorisation jobs on
// the kernel's job store with one queue message per file, and a worker that embeds through the
// `models` capability and reads chunks through the `chunks` capability. Its code loads only when
// it starts, so the CDK app reads this declaration without it.
import type { AwsGrants, Kernel, ServiceModule } from '../platform/module.ts';
import { readVectorConfig, type VectorConfig } from './config.ts';
import type { VectorBackend } from './backend.ts';
import type { BackendDeps } from './backends/create-backend.ts';
import { VECTORISATION_QUEUE } from './kinds.ts';
import { VECTOR_SQLITE_MIGRATIONS } from './catalog/sqlite-migrations.ts';
import { VECTOR_TABLES } from './catalog/dynamodb-vector-tables.ts';

const QUEUES = [VECTORISATION_QUEUE];
// Both roles read the catalogue and swap or drop live generations (OpenSearch backend); both meter
// (the service its searches and their query embeddings, the worker its embeddings).
const shared: AwsGrants = {
  tables: { apps: 'read', jobs: 'readWrite', usage: 'readWrite', 'vector-catalog': 'readWrite', 'vector-generations': 'readWrite' },
};

export interface VectorModuleOptions {
  /** Builds the backend instead of VECTOR_BACKEND's (tests and benches reach the backend through it). */
  backend?: (config: VectorConfig, deps: BackendDeps) => Promise<VectorBackend>;
}

export function createVectorModule(options: VectorModuleOptions = {}): ServiceModule<VectorConfig> {
  return {
    name: 'vector',
    title: 'Vector Service',
    requires: ['models', 'chunks'],
    sqliteMigrations: VECTOR_SQLITE_MIGRATIONS,
    tables: VECTOR_TABLES,
    queues: QUEUES,
    worker: true,
    aws: {
      // Stores are AOSS collections (aoss:vector-stores); queries are embedded through `models` (Bedrock on AWS).
      service: { ...shared, queues: { send: QUEUES }, capabilities: ['aoss:vector-stores', 'bedrock:invoke'] },
      // The worker also reads chunks through `chunks`: the chunking results in the blob bucket.
      worker: { ...shared, queues: { consume: QUEUES }, capabilities: ['aoss:vector-stores', 'bedrock:invoke', 'blobs:readWrite'] },
    },
    readConfig: readVectorConfig,

    async start(kernel, run, config) {
      const [{ createVectorBackend }, { VectorStores }, { VectorIndexes }, { VectorSearch }, { vectorHandlers },
        { VectorisationJobs }, { vectorisationHandlers }, { startVectorisationWorker }, { capability }] = await Promise.all([
        import('./backends/create-backend.ts'), import('./stores.ts'), import('./indexes.ts'), import('./search.ts'), import('./handlers.ts'),
        import('./vectorisation/vectorisation-jobs.ts'), import('./vectorisation/handlers.ts'), import('./vectorisation/worker.ts'),
        import('../platform/capabilities/registry.ts'),
      ]);
      const stored = await catalogOn(kernel.store);
      const { catalog } = stored;
      const backend = await (options.backend ?? createVectorBackend)(config, { dataDir: kernel.config.dataDir, ...stored });
      const models = capability(kernel.capabilities, 'models');
      const chunks = capability(kernel.capabilities, 'chunks');
      const deps = { kernel, catalog, backend, models, chunks, config };
      const worker = run.worker ? startVectorisationWorker(deps) : undefined;
      const stores = new VectorStores({ catalog, backend });
      const indexes = new VectorIndexes({ catalog, backend, stores, models, defaultEmbeddingModel: config.defaultEmbeddingModel });
      const search = new VectorSearch({ indexes, backend, models, ledger: kernel.ledger });
      const jobs = new VectorisationJobs({ ...deps, onQueued: () => worker?.notify() });
      return {
        ...(run.service && {
          service: {
            handlers: { ...vectorHandlers(stores, indexes, search, kernel.ping), ...vectorisationHandlers(jobs) },
            authenticators: { AppToken: kernel.verifyAppToken },
            typelessBodyIsJson: true,
          },
        }),
        summary: { vectorBackend: backend.kind },
        close: async () => {
          await worker?.stop();
          await backend.close();
        },
      };
    },
  };
}

/** The catalogue on the platform's metadata store; on DynamoDB also the OpenSearch backend's live generations. */
async function catalogOn(store: Kernel['store']): Promise<Pick<BackendDeps, 'catalog' | 'aws'>> {
  if (store.kind === 'sqlite') return { catalog: (await import('./catalog/sqlite-catalog.ts')).sqliteVectorCatalog(store.db) };
  const [{ dynamoVectorCatalog }, { dynamoLiveGenerations }] = await Promise.all([
    import('./catalog/dynamodb-vector-catalog.ts'), import('./index/opensearch/dynamodb-live-generations.ts'),
  ]);
  const catalog = dynamoVectorCatalog(store.dynamo);
  return { catalog, aws: { locator: catalog, live: dynamoLiveGenerations(store.dynamo) } };
}

/** The platform's vector module. */
export const vectorModule = createVectorModule();
