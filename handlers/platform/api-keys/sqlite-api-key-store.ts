// ApiKeyStore on SQLite (table api_keys, a kernel migration). Keys go with their app (ON DELETE CASCADE).
import type { SqliteDatabase } from '../store/sqlite/database.ts';
import type { ApiKeyRecord, ApiKeyStore } from './ports.ts';

interface Row {
  key_id: string;
  app_id: string;
  client_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  models: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

const fromRow = (row: Row): ApiKeyRecord => ({
  keyId: row.key_id,
  appId: row.app_id,
  clientId: row.client_id,
  name: row.name,
  prefix: row.prefix,
  hash: row.key_hash,
  models: row.models === null ? null : (JSON.parse(row.models) as string[]),
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

export function sqliteApiKeyStore(db: SqliteDatabase): ApiKeyStore {
  const insert = db.prepare(
    `INSERT INTO api_keys (key_id, app_id, client_id, name, prefix, key_hash, models, created_at, expires_at, revoked_at)
     VALUES (@keyId, @appId, @clientId, @name, @prefix, @hash, @models, @createdAt, @expiresAt, @revokedAt)`,
  );
  const byHash = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE key_hash = ?');
  const byApp = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE app_id = ? ORDER BY created_at, key_id');
  const revoke = db.prepare<[string, string, string], Row>(
    'UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE app_id = ? AND key_id = ? RETURNING *',
  );
  return {
    async create(key) {
      insert.run({ ...key, models: key.models === null ? null : JSON.stringify(key.models) });
    },
    async findByHash(hash) {
      const row = byHash.get(hash);
      return row && fromRow(row);
    },
    async listByApp(appId) {
      return byApp.all(appId).map(fromRow);
    },
    async revoke(appId, keyId, at) {
      const row = revoke.get(at, appId, keyId);
      return row && fromRow(row);
    },
  };
}

