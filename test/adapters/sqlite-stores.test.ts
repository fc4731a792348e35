import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODULES } from '../../handlers/modules.ts';
import { openDatabase, pingSqlite } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteAppStore } from '../../handlers/platform/store/sqlite/app-store.ts';
import { sqliteAdminStore } from '../../handlers/platform/store/sqlite/admin-store.ts';
import { sqlitePromptStore } from '../../handlers/prompt/sqlite-prompt-store.ts';
import { sqliteInvocationStore } from '../../handlers/model/invocation-store.ts';
import { sqliteUsageLedger } from '../../handlers/platform/usage/sqlite-usage-ledger.ts';
import { storeContract } from './store-contract.ts';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-stores-'));
  const db = openDatabase(dir, MODULES);
  const ledger = sqliteUsageLedger(db);
  return {
    apps: sqliteAppStore(db),
    admin: sqliteAdminStore(db),
    prompts: sqlitePromptStore(db),
    invocations: sqliteInvocationStore(db),
    ledger,
    ping: () => pingSqlite(db),
    async close() {
      ledger.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
