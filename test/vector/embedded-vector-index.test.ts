import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedVectorIndex } from '../../handlers/vector/index/embedded/embedded-vector-index.ts';
import { vectorIndexContract } from '../adapters/vector-index-contract.ts';

vectorIndexContract('embedded (usearch + SQLite FTS5)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-vector-'));
  const index = openEmbeddedVectorIndex({ dir });
  return {
    index,
    async close() {
      await index.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
