import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteVectorCatalog } from '../../handlers/vector/catalog/sqlite-catalog.ts';
import { vectorModule } from '../../handlers/vector/module.ts';
import { vectorCatalogContract } from './vector-catalog-contract.ts';

vectorCatalogContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-vector-catalog-'));
  const db = openDatabase(dir, [vectorModule]);
  return {
    catalog: sqliteVectorCatalog(db),
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
