// The configured backend (VECTOR_BACKEND): embedded, or OpenSearch Serverless loaded only when
// chosen (its SDK clients stay out of the embedded platform's start-up).
import { ConfigError } from '../../platform/config.ts';
import type { VectorBackend } from '../backend.ts';
import type { IndexLocator } from '../catalog/dynamodb-vector-catalog.ts';
import type { VectorCatalog } from '../catalog/ports.ts';
import type { VectorConfig } from '../config.ts';
import type { LiveGenerations } from '../index/opensearch/live-generations.ts';
import { createEmbeddedBackend } from './embedded-backend.ts';

export interface BackendDeps {
  dataDir: string;
  catalog: VectorCatalog;
  /** On the DynamoDB metadata store (STORE=dynamodb): what the OpenSearch backend keeps there. */
  aws?: { locator: IndexLocator; live: LiveGenerations };
}

export async function createVectorBackend(config: VectorConfig, deps: BackendDeps): Promise<VectorBackend> {
  const { backend } = config;
  if (backend.kind === 'embedded') return createEmbeddedBackend(deps.dataDir);
  if (!deps.aws) throw new ConfigError('VECTOR_BACKEND=opensearchserverless needs STORE=dynamodb (its live generations and catalogue live there)');
  const { createOpenSearchBackend } = await import('./opensearch-backend.ts');
  return createOpenSearchBackend(backend, { catalog: deps.aws.locator, live: deps.aws.live });
}
