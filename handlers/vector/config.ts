// The vector service's settings, read from the environment once at start (ServiceModule.readConfig).
import { ConfigError, integer, oneOf, type Env } from '../platform/config.ts';
import { PREFIX_PATTERN } from './index/opensearch/collections.ts';

export type VectorBackendConfig =
  | { kind: 'embedded' }
  | {
      kind: 'opensearchserverless';
      region: string;
      /** Every collection and policy name starts with it (IAM grants aoss:* on `<prefix>-*` only). */
      prefix: string;
      /** The only network path to the collections. */
      vpcEndpointId: string;
      /** IAM role ARNs given data access to each store's collection (the service and its worker). */
      principals: string[];
    };

export interface VectorConfig {
  backend: VectorBackendConfig;
  /** The embedding model of an index created without one; undefined: the first `embed` model the platform offers. */
  defaultEmbeddingModel?: string;
  /** Chunks embedded per model call. */
  embedBatchSize: number;
  /** Files vectorised at once by one worker process. */
  workerConcurrency: number;
  /** Lease of a file being worked on, renewed every third of it: after a crash the file runs again this soon. */
  leaseSeconds: number;
  /** How long a finished vectorisation job is kept. */
  retentionDays: number;
}

export function readVectorConfig(env: Env): VectorConfig {
  const kind = oneOf(env, 'VECTOR_BACKEND', 'embedded', ['embedded', 'opensearchserverless'] as const);
  return {
    backend: kind === 'embedded' ? { kind } : openSearchServerless(env),
    ...(env.VECTOR_EMBEDDING_MODEL && { defaultEmbeddingModel: env.VECTOR_EMBEDDING_MODEL }),
    embedBatchSize: integer(env, 'VECTOR_EMBED_BATCH_SIZE', 64, 1, 2048),
    workerConcurrency: integer(env, 'VECTOR_WORKER_CONCURRENCY', 2, 1, 64),
    leaseSeconds: integer(env, 'VECTOR_LEASE_SECONDS', 120, 3, 3600),
    retentionDays: integer(env, 'VECTOR_RETENTION_DAYS', 30, 1, 365),
  };
}

function openSearchServerless(env: Env): VectorBackendConfig {
  const region = env.AWS_REGION;
  const prefix = env.VECTOR_AOSS_PREFIX ?? '';
  const vpcEndpointId = env.VECTOR_AOSS_VPC_ENDPOINT_ID ?? '';
  const principals = (env.VECTOR_AOSS_PRINCIPALS ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const needs = 'VECTOR_BACKEND=opensearchserverless needs';
  if (!region) throw new ConfigError(`${needs} AWS_REGION`);
  if (!PREFIX_PATTERN.test(prefix)) throw new ConfigError(`${needs} VECTOR_AOSS_PREFIX: a lower-case letter, then up to 9 lower-case letters, digits or '-'`);
  if (!vpcEndpointId) throw new ConfigError(`${needs} VECTOR_AOSS_VPC_ENDPOINT_ID (the AOSS VPC endpoint, the collections' only network path)`);
  if (principals.length === 0) throw new ConfigError(`${needs} VECTOR_AOSS_PRINCIPALS (comma-separated IAM role ARNs given data access)`);
  return { kind: 'opensearchserverless', region, prefix, vpcEndpointId, principals };
}
