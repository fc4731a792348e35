// Background invocations: the request, its state and its result, kept per app until they expire.
import type { SqliteDatabase } from '../platform/store/sqlite/database.ts';
import type { Problem } from '../platform/http/problem.ts';

export type InvocationStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface InvocationResult {
  output_text: string;
  input_tokens: number;
  output_tokens: number;
  model_name: string;
  finish_reason: 'stop' | 'length' | 'stop_sequence' | 'content_filter' | 'tool_use' | 'other';
}

export interface InvocationRecord {
  id: string;
  appId: string;
  requestId: string;
  status: InvocationStatus;
  request: unknown;
  result?: InvocationResult;
  error?: Problem;
  createdAt: string;
  completedAt?: string;
  expiresAt: number;
}

export interface InvocationStore {
  create(record: InvocationRecord): Promise<void>;
  /** By (app, id): another app's invocation is simply not found. Expired ones are not returned. */
  find(appId: string, id: string, now: number): Promise<InvocationRecord | undefined>;
  /** For the worker, which acts for the app that submitted it. */
  get(id: string): Promise<InvocationRecord | undefined>;
  markInProgress(id: string): Promise<void>;
  finish(id: string, outcome: { result: InvocationResult } | { error: Problem }, completedAt: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

interface Row {
  id: string;
  app_id: string;
  request_id: string;
  status: InvocationStatus;
  request: string;
  result: string | null;
  error: string | null;
  created_at: string;
  completed_at: string | null;
  expires_at: number;
}

const fromRow = (row: Row): InvocationRecord => ({
  id: row.id,
  appId: row.app_id,
  requestId: row.request_id,
  status: row.status,
  request: JSON.parse(row.request),
  ...(row.result && { result: JSON.parse(row.result) }),
  ...(row.error && { error: JSON.parse(row.error) }),
  createdAt: row.created_at,
  ...(row.completed_at && { completedAt: row.completed_at }),
  expiresAt: row.expires_at,
});

export function sqliteInvocationStore(db: SqliteDatabase): InvocationStore {
  const insert = db.prepare(
    `INSERT INTO model_invocations (id, app_id, request_id, status, request, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const byApp = db.prepare<[string, string, number], Row>('SELECT * FROM model_invocations WHERE app_id = ? AND id = ? AND expires_at > ?');
  const byId = db.prepare<[string], Row>('SELECT * FROM model_invocations WHERE id = ?');
  const progress = db.prepare(`UPDATE model_invocations SET status = 'IN_PROGRESS' WHERE id = ? AND status = 'QUEUED'`);
  const finish = db.prepare(
    `UPDATE model_invocations SET status = ?, result = ?, error = ?, completed_at = ?
     WHERE id = ? AND status IN ('QUEUED', 'IN_PROGRESS')`,
  );
  const expire = db.prepare('DELETE FROM model_invocations WHERE expires_at <= ?');

  return {
    async create(r) {
      insert.run(r.id, r.appId, r.requestId, r.status, JSON.stringify(r.request), r.createdAt, r.expiresAt);
    },
    async find(appId, id, now) {
      const row = byApp.get(appId, id, now);
      return row && fromRow(row);
    },
    async get(id) {
      const row = byId.get(id);
      return row && fromRow(row);
    },
    async markInProgress(id) {
      progress.run(id);
    },
    async finish(id, outcome, completedAt) {
      if ('result' in outcome) finish.run('SUCCEEDED', JSON.stringify(outcome.result), null, completedAt, id);
      else finish.run('FAILED', null, JSON.stringify(outcome.error), completedAt, id);
    },
    async deleteExpired(now) {
      return expire.run(now).changes;
    },
  };
}
