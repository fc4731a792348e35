// The embedded backend (`VECTOR_BACKEND=embedded`, the `npm start` default): a store is only a
// name, ACTIVE at once; every index of every store lives in one usearch + SQLite FTS5 directory,
// DATA_DIR/vector-index, owned by this process (the ANN is in its memory).
import { join } from 'node:path';
import { openEmbeddedVectorIndex } from '../index/embedded/embedded-vector-index.ts';
import type { VectorBackend } from '../backend.ts';

export const EMBEDDED_INDEX_DIR = 'vector-index';

export function createEmbeddedBackend(dataDir: string): VectorBackend {
  const index = openEmbeddedVectorIndex({ dir: join(dataDir, EMBEDDED_INDEX_DIR) });
  return {
    kind: 'embedded',
    backendNameOf: (storeId) => storeId,
    async provisionStore() {},
    async status() {
      return 'ACTIVE';
    },
    // Its indexes were deleted before (each from the shared directory): nothing else is the store's.
    async removeStore() {},
    index,
    close: () => index.close(),
  };
}
