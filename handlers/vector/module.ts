// The vector service as a platform module: stores and indexes in its catalogue, vectors in the
// configured backend (embedded usearch + FTS5, or OpenSearch Serverless), vectorisation jobs on
// the kernel's job store with one queue message per file, and a worker that embeds through the
// `models` capability and reads chunks through the `chunks` capability. Its code loads only when
// it starts, so the CDK app reads this declaration without it.
// NOT YET IN handlers/modules.ts: the service's handlers are being built (issue 13).
import type { AwsGrants, ServiceModule } from '../platform/module.ts';
import { readVectorConfig, type VectorConfig } from './config.ts';
import { VECTORISATION_QUEUE } from './kinds.ts';
import { VECTOR_TABLES } from './catalog/dynamodb-vector-tables.ts';

const QUEUES = [VECTORISATION_QUEUE];
const shared: AwsGrants = { tables: { apps: 'read', jobs: 'readWrite' } };

export const vectorModule: ServiceModule<VectorConfig> = {
  name: 'vector',
  title: 'Vector Service',
  requires: ['models', 'chunks'],
  tables: VECTOR_TABLES,
  queues: QUEUES,
  worker: true,
  aws: {
    // Stores (collections) and indexes; queries embedded through `models` (Bedrock on AWS) and metered.
    service: {
      tables: { ...shared.tables, usage: 'readWrite', 'vector-catalog': 'readWrite', 'vector-generations': 'readWrite' },
      queues: { send: QUEUES },
      capabilities: ['aoss:vector-stores', 'bedrock:invoke'],
    },
    // Reads chunks through `chunks` (result files in the blob bucket), embeds and meters, writes and publishes vectors.
    worker: {
      tables: { ...shared.tables, usage: 'readWrite', 'vector-catalog': 'read', 'vector-generations': 'readWrite' },
      queues: { consume: QUEUES },
      capabilities: ['aoss:vector-stores', 'bedrock:invoke', 'blobs:readWrite'],
    },
  },
  readConfig: readVectorConfig,

  async start() {
    throw new Error('the vector service is not built yet');
  },
};
