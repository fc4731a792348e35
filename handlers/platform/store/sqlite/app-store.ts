// AppStore on SQLite.
import type { AppRecord, AppStore } from '../ports.ts';
import type { SqliteDatabase } from './database.ts';

interface AppRow {
  app_id: string;
  client_id: string;
  app_name: string;
  description: string;
  status: AppRecord['status'];
  secret_hash: string;
  created_at: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  monthly_token_budget: number | null;
}

const fromRow = (row: AppRow): AppRecord => ({
  appId: row.app_id,
  clientId: row.client_id,
  appName: row.app_name,
  description: row.description,
  status: row.status,
  secretHash: row.secret_hash,
  createdAt: row.created_at,
  limits: {
    requestsPerMinute: row.requests_per_minute,
    tokensPerMinute: row.tokens_per_minute,
    monthlyTokenBudget: row.monthly_token_budget,
  },
});

export function sqliteAppStore(db: SqliteDatabase): AppStore {
  const insert = db.prepare(
    `INSERT INTO apps (app_id, client_id, app_name, description, status, secret_hash, created_at,
                       requests_per_minute, tokens_per_minute, monthly_token_budget)
     VALUES (@appId, @clientId, @appName, @description, @status, @secretHash, @createdAt,
             @requestsPerMinute, @tokensPerMinute, @monthlyTokenBudget)`,
  );
  const byId = db.prepare<[string], AppRow>('SELECT * FROM apps WHERE app_id = ?');
  const byClientId = db.prepare<[string], AppRow>('SELECT * FROM apps WHERE client_id = ?');
  const all = db.prepare<[], AppRow>('SELECT * FROM apps ORDER BY created_at, app_id');
  const update = db.prepare<[string | null, string | null, string], AppRow>(
    `UPDATE apps SET status = coalesce(?, status), secret_hash = coalesce(?, secret_hash)
     WHERE app_id = ? RETURNING *`,
  );
  const setLimits = db.prepare<[number | null, number | null, number | null, string], AppRow>(
    `UPDATE apps SET requests_per_minute = ?, tokens_per_minute = ?, monthly_token_budget = ?
     WHERE app_id = ? RETURNING *`,
  );
  const remove = db.prepare<[string]>('DELETE FROM apps WHERE app_id = ?');

  return {
    async create(app) {
      const { limits, ...rest } = app;
      insert.run({ ...rest, ...limits });
    },
    async findById(appId) {
      const row = byId.get(appId);
      return row && fromRow(row);
    },
    async findByClientId(clientId) {
      const row = byClientId.get(clientId);
      return row && fromRow(row);
    },
    async list() {
      return all.all().map(fromRow);
    },
    async update(appId, { status, secretHash, limits }) {
      const row = db.transaction(() => {
        const updated = update.get(status ?? null, secretHash ?? null, appId);
        return updated && limits ? setLimits.get(limits.requestsPerMinute, limits.tokensPerMinute, limits.monthlyTokenBudget, appId) : updated;
      })();
      return row && fromRow(row);
    },
    async delete(appId) {
      return remove.run(appId).changes > 0;
    },
  };
}
