// One contract for both ApiKeyStore adapters (SQLite, DynamoDB): lookup by hash, listing per app,
// revocation that keeps its first time and stays within its app.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AppStore } from '../../handlers/platform/store/ports.ts';
import type { ApiKeyRecord, ApiKeyStore } from '../../handlers/platform/api-keys/ports.ts';

export interface ApiKeyStores {
  apps: AppStore;
  keys: ApiKeyStore;
  close(): Promise<void>;
}

export function apiKeyStoreContract(label: string, open: () => Promise<ApiKeyStores>) {
  describe(`API key store contract: ${label}`, () => {
    let s: ApiKeyStores;
    before(async () => { s = await open(); });
    after(() => s.close());

    const newApp = async () => {
      const appId = randomUUID();
      await s.apps.create({
        appId, clientId: `client-${appId}`, appName: 'a', description: '', status: 'active', secretHash: 'sha256$x',
        createdAt: new Date().toISOString(), limits: { requestsPerMinute: null, tokensPerMinute: null, monthlyTokenBudget: null },
      });
      return appId;
    };
    const key = (appId: string, second: number, models: string[] | null = null): ApiKeyRecord => ({
      keyId: randomUUID(), appId, clientId: `client-${appId}`, name: `key ${second}`, prefix: 'gaf_sk_abcdef', hash: randomUUID(),
      models, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(), expiresAt: null, revokedAt: null,
    });

    it('finds a key by its hash and lists an app\'s keys oldest first', async () => {
      const [a, b] = [await newApp(), await newApp()];
      const [k2, k1, other] = [key(a, 2, ['echo']), key(a, 1), key(b, 1)];
      for (const k of [k2, k1, other]) await s.keys.create(k);
      assert.deepEqual(await s.keys.findByHash(k2.hash), k2);
      assert.equal(await s.keys.findByHash('nope'), undefined);
      assert.deepEqual(await s.keys.listByApp(a), [k1, k2]);
      assert.deepEqual(await s.keys.listByApp(b), [other]);
      await assert.rejects(s.keys.create(k1), 'the same key twice is refused');
    });

    it('revokes a key once, only within its app', async () => {
      const [a, b] = [await newApp(), await newApp()];
      const k = key(a, 3);
      await s.keys.create(k);
      assert.equal(await s.keys.revoke(b, k.keyId, '2026-02-01T00:00:00.000Z'), undefined, 'another app cannot revoke it');
      assert.equal(await s.keys.revoke(a, randomUUID(), '2026-02-01T00:00:00.000Z'), undefined);
      assert.equal((await s.keys.revoke(a, k.keyId, '2026-02-01T00:00:00.000Z'))?.revokedAt, '2026-02-01T00:00:00.000Z');
      assert.equal((await s.keys.revoke(a, k.keyId, '2026-03-01T00:00:00.000Z'))?.revokedAt, '2026-02-01T00:00:00.000Z', 'the first revocation stands');
      assert.equal((await s.keys.findByHash(k.hash))?.revokedAt, '2026-02-01T00:00:00.000Z');
      assert.equal((await s.keys.listByApp(a))[0]?.revokedAt, '2026-02-01T00:00:00.000Z');
    });
  });
}
