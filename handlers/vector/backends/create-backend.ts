// The configured backend (VECTOR_BACKEND): embedded, or OpenSearch Serverless loaded only when
// chosen (its SDK clients stay out of the embedded platform's start-up).
import { ConfigError } from '../../platform/config.ts';
import type { VectorBackend } from '../backend.ts';
import type { VectorCatalog } from '../catalog/ports.ts';
import type { VectorConfig } from '../config.ts';
import { createEmbeddedBackend } from './embedded-backend.ts';

export interface BackendDeps {
  dataDir: string;
  catalog: VectorCatalog;
}

export async function createVectorBackend(config: VectorConfig, deps: BackendDeps): Promise<VectorBackend> {
  switch (config.backend.kind) {
    case 'embedded':
      return createEmbeddedBackend(deps.dataDir);
    case 'opensearchserverless':
      // Becomes `(await import('./opensearch-backend.ts')).createOpenSearchBackend(config, { catalog, live })`
      // when that adapter lands (issue 13, the AWS part).
      throw new ConfigError('VECTOR_BACKEND=opensearchserverless is not built yet in this version');
  }
}
