import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { JOBS_SQL, sqliteJobStore } from '../../handlers/platform/jobs/sqlite-job-store.ts';
import { jobStoreContract } from './job-store-contract.ts';

jobStoreContract('SQLite', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-jobs-'));
  const db = openDatabase(dir, []);
  db.exec(JOBS_SQL); // until the schema moves into the module's own migrations
  return {
    store: sqliteJobStore(db, { now: clock.now }),
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
