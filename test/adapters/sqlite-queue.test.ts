import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODULES } from '../../handlers/modules.ts';
import { openDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteJobQueue } from '../../handlers/platform/queue/sqlite-job-queue.ts';
import { queueContract } from './queue-contract.ts';

queueContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-queue-'));
  const db = openDatabase(dir, MODULES);
  return {
    queue: sqliteJobQueue(db),
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
