// The vector service as a platform module: stores and indexes in its catalogue, vectors in the
// configured backend (embedded usearch + FTS5, or OpenSearch Serverless), vectorisation jobs on
// the kernel's job store with one queue message per file, and a worker that embeds through the
// `models` capability and reads chunks through the `chunks` capability. Its code loads only when
// it starts, so the CDK app reads this declaration without it.
// NOT YET IN handlers/modules.ts: the service's handlers are being built (issue 13).
import type { AwsGrants, ServiceModule } from '../platform/module.ts';
import { readVectorConfig, type VectorConfig } from './config.ts';
import { VECTORISATION_QUEUE } from './kinds.ts';
import { VECTOR_SQLITE_MIGRATIONS } from './catalog/sqlite-migrations.ts';
import { VECTOR_CATALOG_TABLE, VECTOR_LIVE_GENERATIONS_TABLE, VECTOR_TABLES } from './catalog/tables.ts';

const QUEUES = [VECTORISATION_QUEUE];
// Both roles read the catalogue and swap or drop live generations (OpenSearch backend); both meter
// (the service its searches and their query embeddings, the worker its embeddings).
const shared: AwsGrants = {
  tables: { apps: 'read', jobs: 'readWrite', usage: 'readWrite', [VECTOR_CATALOG_TABLE]: 'readWrite', [VECTOR_LIVE_GENERATIONS_TABLE]: 'readWrite' },
};

export const vectorModule: ServiceModule<VectorConfig> = {
  name: 'vector',
  title: 'Vector Service',
  requires: ['models', 'chunks'],
  sqliteMigrations: VECTOR_SQLITE_MIGRATIONS,
  tables: VECTOR_TABLES,
  queues: QUEUES,
  worker: true,
  aws: {
    service: { ...shared, queues: { send: QUEUES } },
    worker: { ...shared, queues: { consume: QUEUES } },
  },
  readConfig: readVectorConfig,

  async start() {
    throw new Error('the vector service is not built yet');
  },
};
