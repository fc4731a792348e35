import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteJobStore } from '../../handlers/platform/jobs/sqlite-job-store.ts';
import { jobStoreContract } from './job-store-contract.ts';

jobStoreContract('SQLite', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-jobs-'));
  const db = openDatabase(dir, []); // the schema is the kernel's
  return {
    store: sqliteJobStore(db, { now: clock.now }),
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
