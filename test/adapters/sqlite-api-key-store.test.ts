import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MODULES } from '../../handlers/modules.ts';
import { openDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteAppStore } from '../../handlers/platform/store/sqlite/app-store.ts';
import { sqliteApiKeyStore } from '../../handlers/platform/api-keys/sqlite-api-key-store.ts';
import { apiKeyStoreContract } from './api-key-store-contract.ts';

function openStores() {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-keys-'));
  const db = openDatabase(dir, MODULES);
  return {
    apps: sqliteAppStore(db),
    keys: sqliteApiKeyStore(db),
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

apiKeyStoreContract('SQLite', async () => openStores());

it('deletes an app\'s keys with the app', async () => {
  const { apps, keys, close } = openStores();
  await apps.create({
    appId: 'gone', clientId: 'c-gone', appName: 'a', description: '', status: 'active', secretHash: 'x', createdAt: '2026-01-01T00:00:00.000Z',
    limits: { requestsPerMinute: null, tokensPerMinute: null, monthlyTokenBudget: null },
  });
  await keys.create({ keyId: 'k', appId: 'gone', clientId: 'c-gone', name: 'n', prefix: 'p', hash: 'h-gone', models: null, createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null, revokedAt: null });
  await apps.delete('gone');
  assert.equal(await keys.findByHash('h-gone'), undefined);
  await close();
});
